"""Text parsing, Mastodon-style rendering, sanitising and length counting."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from godwit.domain.graphemes import grapheme_count
from godwit.domain.text import MentionTarget, countable_length, parse, render, sanitise, tag_key

BASE = "https://godwit.test"
BOB = {"bob": MentionTarget(acct="bob", url=f"{BASE}/@bob")}


def html(text: str, mentions: dict[str, MentionTarget] | None = None) -> str:
    return render(text, mentions=mentions or {}, base_url=BASE)


# -- parse ----------------------------------------------------------------------------


def test_parse_finds_entities_once_each() -> None:
    parsed = parse(
        "@bob @Bob @carol@remote.example #Tea #tea https://a.example/x https://a.example/x"
    )
    assert parsed.mentions == ("bob", "carol@remote.example")
    assert parsed.tags == ("Tea",)
    assert parsed.urls == ("https://a.example/x",)


@pytest.mark.parametrize(
    "text",
    [
        "mail me at bob@example.com",
        "https://social.example/@bob is a profile",
        "a=@bob",
        "path/@bob",
    ],
)
def test_mentions_not_inside_emails_or_urls(text: str) -> None:
    assert parse(text).mentions == ()


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("#one two #three", ("one", "three")),
        ("#123", ()),
        ("#1_2", ("1_2",)),
        ("#a1", ("a1",)),
        ("word#notatag", ()),
        ("https://example.com/page#fragment", ()),
        ("(#inparens)", ("inparens",)),
        ("end of sentence #tag.", ("tag",)),
        ("#日本語 and #Ελληνικά", ("日本語", "Ελληνικά")),
        ("#café", ("café",)),
        ("#cafe\u0301", ("cafe\u0301",)),  # combining accent stays part of the tag
        ("#under_score", ("under_score",)),
        ("#", ()),
        ("##double", ()),
        ("&#39;", ()),
    ],
)
def test_hashtag_rules(text: str, tags: tuple[str, ...]) -> None:
    assert parse(text).tags == tags


def test_tag_key_normalises() -> None:
    assert tag_key("Café") == tag_key("CAFE\u0301") == "café"


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("see https://example.com.", "https://example.com"),
        ("(https://example.com/a_(b))", "https://example.com/a_(b)"),
        ("(https://example.com/x)", "https://example.com/x"),
        ("https://example.com/?q=1&r=2!", "https://example.com/?q=1&r=2"),
        ("HTTP://EXAMPLE.COM/Up", "HTTP://EXAMPLE.COM/Up"),
        ('"https://example.com/quoted"', "https://example.com/quoted"),
    ],
)
def test_url_boundaries(text: str, url: str) -> None:
    assert parse(text).urls == (url,)


def test_no_url_without_scheme_or_host() -> None:
    assert parse("example.com and https:// and javascript:alert(1)").urls == ()


# -- render ---------------------------------------------------------------------------


def test_paragraphs_and_line_breaks() -> None:
    assert html("one\ntwo\n\nthree\r\n\r\n\r\nfour") == (
        "<p>one<br />two</p><p>three</p><p>four</p>"
    )
    assert html("") == ""
    assert html("\n\n") == ""


def test_mention_markup() -> None:
    assert html("hi @bob", BOB) == (
        '<p>hi <span class="h-card" translate="no"><a href="https://godwit.test/@bob" '
        'class="u-url mention">@<span>bob</span></a></span></p>'
    )


def test_unresolved_mentions_stay_text() -> None:
    assert html("hi @ghost and @x@remote.example") == "<p>hi @ghost and @x@remote.example</p>"


def test_remote_mention_shows_username_only() -> None:
    targets = {"carol@remote.example": MentionTarget("carol@remote.example", "https://r/@carol")}
    assert ">@<span>carol</span></a>" in html("@carol@remote.example", targets)


def test_hashtag_markup() -> None:
    assert html("#Godwit") == (
        '<p><a href="https://godwit.test/tags/Godwit" class="mention hashtag" rel="tag">'
        "#<span>Godwit</span></a></p>"
    )
    assert 'href="https://godwit.test/tags/caf%C3%A9"' in html("#café")


def test_link_markup_short_and_long() -> None:
    assert html("https://example.com/a") == (
        '<p><a href="https://example.com/a" target="_blank" rel="nofollow noopener" '
        'translate="no"><span class="invisible">https://</span><span class="">example.com/a'
        '</span><span class="invisible"></span></a></p>'
    )
    long = "https://www.example.com/" + "abcdefghij" * 4
    rendered = html(long)
    assert '<span class="invisible">https://www.</span>' in rendered
    assert '<span class="ellipsis">example.com/abcdefghijabcdefgh</span>' in rendered
    assert '<span class="invisible">ijabcdefghijabcdefghij</span>' in rendered


def test_link_with_ampersand_is_escaped() -> None:
    assert 'href="https://e.example/?a=1&amp;b=2"' in html("https://e.example/?a=1&b=2")


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    'https://example.com/"onmouseover="alert(1)',
    "https://example.com/<script>",
    "#<script>",
    "@<script>",
    "<p onclick='x'>hi</p>",
    "<!-- comment --><style>*{}</style>",
    "&lt;script&gt;",
]


class _Elements(HTMLParser):
    """Every element and attribute a browser would see in the rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


ALLOWED = {"p": set(), "br": set(), "a": {"href", "rel", "class", "target", "translate"}}
ALLOWED["span"] = {"class", "translate"}


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_renders_inert(payload: str) -> None:
    parser = _Elements()
    parser.feed(html(payload, BOB))
    for tag, attributes in parser.elements:
        assert tag in ALLOWED, tag
        assert set(attributes) <= ALLOWED[tag], attributes
        href = attributes.get("href")
        if href is not None:
            assert href.startswith(("https://", "http://")), href
    # The payload's text is still there for the reader, as text.
    assert parser.elements[0][0] == "p"


def test_markup_is_escaped_not_dropped() -> None:
    assert html("<b>bold</b> & co") == "<p>&lt;b&gt;bold&lt;/b&gt; &amp; co</p>"


def test_unicode_survives() -> None:
    text = "مرحبا بالعالم 👨‍👩‍👧 e\u0301 \u202eevil\u202c"
    assert html(text) == f"<p>{text}</p>"


# -- counting -------------------------------------------------------------------------


def test_links_count_23_and_mentions_their_username() -> None:
    assert countable_length("https://example.com/" + "a" * 100) == 23
    assert countable_length("@bob@a-very-long-remote-domain.example hi") == len("@bob hi")
    assert countable_length("abc", "cw") == 5


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("abc", 3),
        ("👨‍👩‍👧‍👦", 1),  # ZWJ family
        ("👍🏽", 1),  # skin tone
        ("🇫🇷🇩🇪", 2),  # two flags
        ("🇫🇷🇩", 2),  # a flag and a lone regional indicator
        ("e\u0301", 1),  # combining accent
        ("한국어", 3),
        ("\u1100\u1161\u11a8", 1),  # conjoining jamo
        ("\r\n", 1),
        ("שלום", 4),
        ("❤️", 1),  # variation selector
    ],
)
def test_grapheme_count(text: str, count: int) -> None:
    assert grapheme_count(text) == count


def test_sanitiser_is_a_second_line_of_defence() -> None:
    dirty = '<a href="javascript:alert(1)" onclick="x">x</a><script>y</script><b>z</b>'
    cleaned = sanitise(dirty)
    assert "javascript" not in cleaned
    assert "onclick" not in cleaned
    assert "<script" not in cleaned
    assert "<b>" not in cleaned
