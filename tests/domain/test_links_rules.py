"""The rules of links and preview cards: which link, which address, which card."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from godwit.domain.cards import (
    FETCH_LEASE,
    NEVER_FETCHED,
    CardType,
    LinkUsage,
    PageMeta,
    PreviewCard,
    card_language,
    clean_text,
    is_fresh,
    link_trend_key,
    needs_fetch,
    page_draft,
    photo_draft,
)
from godwit.domain.links import (
    ForbiddenDestination,
    card_link,
    check_url,
    normalise_url,
    parse_ports,
)

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)


def test_urls_are_normalised_for_the_cache() -> None:
    assert normalise_url("HTTPS://Example.COM:443/Path?q=1#frag") == "https://example.com/Path?q=1"
    assert normalise_url("http://example.com") == "http://example.com/"
    assert normalise_url("http://example.com:8080/") == "http://example.com:8080/"
    assert normalise_url("http://bücher.example/") == "http://xn--bcher-kva.example/"
    assert normalise_url("http://[::1]:80/") == "http://[::1]/"
    for refused in (
        "ftp://example.com/",
        "http://user:pw@example.com/",
        "http:///path",
        "http://example.com:99999/",
        "http://exa mple.com/",
        "https://example.com/" + "a" * 3000,
    ):
        assert normalise_url(refused) is None, refused


def test_the_card_link_is_the_first_that_is_no_mention_tag_or_own_page() -> None:
    text = (
        "@alice #godwits see https://godwit.test/@bob then https://Example.org/a. "
        "and https://second.example/"
    )
    assert card_link(text, "godwit.test") == "https://example.org/a"
    assert card_link("no links, #tag and @mention", "godwit.test") is None
    assert card_link("only https://godwit.test/tags/x here", "godwit.test") is None


def test_urls_are_checked_before_each_request() -> None:
    ports = {80, 443}
    assert check_url("https://example.com/x", allowed_ports=ports, allow_loopback=False).port == 443
    for refused in (
        "http://example.com:8080/",
        "ftp://example.com/",
        "javascript:alert(1)",
        "http://u:p@example.com/",
        "http://localhost/",
        "http://a.localhost/",
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://10.0.0.8/",
        "http://[",
    ):
        with pytest.raises(ForbiddenDestination):
            check_url(refused, allowed_ports=ports, allow_loopback=False)
    check_url("http://localhost/", allowed_ports=ports, allow_loopback=True)


def test_ports_setting() -> None:
    assert parse_ports("80, 443,8080") == {80, 443, 8080}
    for bad in ("", "http", "0", "70000", ","):
        with pytest.raises(ValueError, match=r"."):
            parse_ports(bad)


def test_a_page_card_needs_a_title_and_keeps_plain_text_only() -> None:
    assert not page_draft("https://a.example/", PageMeta(description="only this"), None).usable
    draft = page_draft(
        "https://a.example/",
        PageMeta(
            title="  A\x00 title\n\twith   space  ",
            description="d" * 2000,
            site_name="Site",
            language="pt_BR",
        ),
        None,
    )
    assert draft.usable
    assert draft.title == "A title with space"
    assert len(draft.description) == 1000
    assert draft.description.endswith("…")
    assert draft.type is CardType.LINK
    assert draft.provider_name == "Site"
    assert draft.language == "pt"


def test_a_photo_card_is_titled_with_the_file_name() -> None:
    assert not photo_draft("https://a.example/x.png", "https://a.example/x.png", None).usable


def test_clean_text_and_languages() -> None:
    assert clean_text("a\u200bb\r\nc", 10) == "ab c"
    assert clean_text("abcdef", 4) == "abc…"
    assert card_language("en-GB") == "en"
    assert card_language("fra") == "fra"
    assert card_language("") is None
    assert card_language("not a language") is None


def _card(fetched_at: dt.datetime, usable: bool) -> PreviewCard:
    return PreviewCard(
        id=1,
        url="https://a.example/",
        title="t",
        description="",
        type=CardType.LINK,
        author_name="",
        author_url="",
        provider_name="",
        provider_url="",
        image_key=None,
        width=0,
        height=0,
        blurhash=None,
        language=None,
        published_at=None,
        usable=usable,
        fetched_at=fetched_at,
    )


def test_cards_go_stale_and_failures_sooner() -> None:
    assert is_fresh(_card(NOW - dt.timedelta(days=13), True), NOW)
    assert not is_fresh(_card(NOW - dt.timedelta(days=15), True), NOW)
    assert is_fresh(_card(NOW - dt.timedelta(hours=5), False), NOW)
    assert not is_fresh(_card(NOW - dt.timedelta(hours=7), False), NOW)


def test_a_url_is_fetched_by_one_job_at_a_time() -> None:
    never = _card(NEVER_FETCHED, False)
    assert needs_fetch(never, "job:1", NOW)
    assert not needs_fetch(_card(NOW - dt.timedelta(days=1), True), "job:1", NOW)
    assert needs_fetch(_card(NOW - dt.timedelta(days=15), True), "job:1", NOW)  # refresh
    held = dataclasses.replace(never, fetch_token="job:1", fetch_until=NOW + FETCH_LEASE)
    assert not needs_fetch(held, "job:2", NOW)  # another job fetches it
    assert needs_fetch(held, "job:1", NOW)  # the same job, run again after a crash
    assert needs_fetch(held, "job:2", NOW + FETCH_LEASE)  # the claim lapsed
    fresh_but_unsaved = dataclasses.replace(held, fetched_at=NOW, usable=True)
    assert needs_fetch(fresh_but_unsaved, "job:2", NOW + FETCH_LEASE)


def test_links_rank_by_accounts_then_recent_posts() -> None:
    today = NOW.replace(hour=0)
    yesterday = today - dt.timedelta(days=1)
    many_people = LinkUsage(1, {yesterday: (3, 3)}, accounts=3)
    many_posts_today = LinkUsage(2, {today: (9, 2)}, accounts=2)
    fewer_posts = LinkUsage(3, {yesterday: (4, 2)}, accounts=2)
    ranked = sorted(
        [fewer_posts, many_posts_today, many_people], key=lambda u: link_trend_key(u, NOW)
    )
    assert [use.card_id for use in ranked] == [1, 2, 3]
