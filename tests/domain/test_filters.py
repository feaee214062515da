"""Pure filter rules: keyword matching (case, whole words, Unicode), contexts and expiry."""

from __future__ import annotations

import datetime as dt

import pytest

from godwit.domain.errors import Invalid
from godwit.domain.filters import (
    Filter,
    FilterKeyword,
    FilterStatus,
    applies_in,
    expiry,
    hides,
    is_active,
    keyword_matches,
    match_status,
    parse_action,
    parse_context,
    plain_text,
    searchable_text,
)

NOW = dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC)


def keyword(text: str, whole_word: bool = True) -> FilterKeyword:
    return FilterKeyword(id=1, filter_id=10, keyword=text, whole_word=whole_word)


def make_filter(
    *,
    keywords: tuple[FilterKeyword, ...] = (),
    statuses: tuple[FilterStatus, ...] = (),
    context: tuple[str, ...] = ("home",),
    action: str = "warn",
    expires_at: dt.datetime | None = None,
) -> Filter:
    return Filter(
        id=10,
        account_id=1,
        title="t",
        context=context,
        action=action,
        expires_at=expires_at,
        created_at=NOW,
        keywords=keywords,
        statuses=statuses,
    )


@pytest.mark.parametrize(
    ("text", "word", "whole_word", "expected"),
    [
        ("I love Spoilers!", "spoiler", False, True),  # substring, any case
        ("I love Spoilers!", "spoiler", True, False),  # not a whole word
        ("a SPOILER here", "spoiler", True, True),
        ("spoiler", "spoiler", True, True),
        ("unspoiler", "spoiler", True, False),
        ("Ärger im Büro", "ärger", True, True),  # Unicode case folding
        ("Verärgert", "ärger", True, False),  # Unicode letters are word characters
        ("Verärgert", "ärger", False, True),
        ("ça va", "ÇA", True, True),
        ("日本語のテキスト", "日本語", False, True),
        ("use #python daily", "#python", True, True),  # no boundary needed before "#"
        ("I like c++ a lot", "c++", True, True),  # nor after "+"
        ("I like abc++ a lot", "c++", True, False),  # but one before "c"
        ("a.b", ".", True, True),  # a keyword of punctuation only still matches
        ("new\nline", "line", True, True),
        ("nothing", "", True, False),
        ("regex (chars) here", "(chars)", True, True),  # escaped, not a pattern
        ("snake_case_word", "case", True, False),  # "_" is a word character
    ],
)
def test_keyword_matching(text: str, word: str, whole_word: bool, expected: bool) -> None:
    assert keyword_matches(keyword(word, whole_word), text) is expected


def test_plain_text_of_rendered_html() -> None:
    html = (
        '<p>Hello <a href="https://x.test/@bob">@<span>bob</span></a> &amp; co</p>'
        "<p>two<br>three</p>"
    )
    assert plain_text(html) == "Hello @bob & co\n\ntwo\nthree"


def test_whole_word_does_not_match_across_html_tags() -> None:
    text = searchable_text("", "<p>fish</p><p>cake</p>")
    assert not keyword_matches(keyword("fishcake"), text)
    assert keyword_matches(keyword("fish"), text)


def test_searchable_text_includes_spoiler_and_extras() -> None:
    text = searchable_text("CW: Politics", "<p>body</p>", ["a cat photo"])
    assert keyword_matches(keyword("politics"), text)
    assert keyword_matches(keyword("cat"), text)
    assert not keyword_matches(keyword("dog"), text)


def test_match_status_reports_keywords_and_statuses() -> None:
    by_word = make_filter(keywords=(keyword("cat"), keyword("dog")))
    by_status = make_filter(statuses=(FilterStatus(id=5, filter_id=10, status_id=77),))
    matches = match_status([by_word, by_status], "my cat sleeps", [77, 78])
    assert [m.keyword_matches for m in matches] == [("cat",), ()]
    assert [m.status_matches for m in matches] == [(), (77,)]
    assert match_status([by_word, by_status], "no pets", [1]) == []


def test_hides_only_with_a_hide_filter() -> None:
    warn = make_filter(keywords=(keyword("x"),))
    hide = make_filter(keywords=(keyword("x"),), action="hide")
    assert not hides(match_status([warn], "x", []))
    assert hides(match_status([warn, hide], "x", []))


def test_expiry_and_contexts() -> None:
    later = NOW + dt.timedelta(hours=1)
    earlier = NOW - dt.timedelta(seconds=1)
    assert is_active(make_filter(), NOW)
    assert is_active(make_filter(expires_at=later), NOW)
    assert not is_active(make_filter(expires_at=earlier), NOW)
    assert not is_active(make_filter(expires_at=NOW), NOW)  # expiry instant is exclusive
    flt = make_filter(context=("home", "thread"))
    assert applies_in(flt, "home", NOW)
    assert applies_in(flt, "thread", NOW)
    assert not applies_in(flt, "public", NOW)
    assert not applies_in(make_filter(expires_at=earlier), "home", NOW)


def test_parsing_what_members_send() -> None:
    assert parse_context(["home", "public", "home"]) == ("home", "public")
    with pytest.raises(Invalid):
        parse_context([])
    with pytest.raises(Invalid):
        parse_context(["home", "elsewhere"])
    assert parse_action(None) == "warn"
    assert parse_action("blur") == "blur"
    assert parse_action(None, "hide") == "hide"
    with pytest.raises(Invalid):
        parse_action("delete")
    assert expiry(None, NOW) is None
    assert expiry(0, NOW) is None
    assert expiry(60, NOW) == NOW + dt.timedelta(minutes=1)
    with pytest.raises(Invalid):
        expiry(-5, NOW)
    with pytest.raises(Invalid):
        expiry(10**12, NOW)
