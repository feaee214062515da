"""Pure tier-3 rules: domain normalisation, report categories, tag names and trend scores."""

from __future__ import annotations

import datetime as dt

import pytest

from godwit.domain.discovery import directory_order, merge_suggestions
from godwit.domain.domain_blocks import check_not_own, normalise_domain
from godwit.domain.errors import Invalid
from godwit.domain.reports import report_category
from godwit.domain.tags import TagUsage, fill_history, midnight_utc, trend_score, valid_tag_name

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        ("https://example.com/users/x", "example.com"),
        ("*.example.com", "example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_domains_have_one_normal_form(raw: str, expected: str) -> None:
    assert normalise_domain(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", "a b.example", "-bad.example", "x" * 300])
def test_malformed_domains_are_invalid(raw: str) -> None:
    with pytest.raises(Invalid):
        normalise_domain(raw)


def test_own_domain_and_its_parents_cannot_be_blocked() -> None:
    with pytest.raises(Invalid):
        check_not_own("social.example", "social.example:8443")
    with pytest.raises(Invalid):
        check_not_own("example", "social.example")
    check_not_own("other.example", "social.example")


def test_report_categories() -> None:
    assert report_category(None, []) == "other"
    assert report_category(None, [1]) == "violation"
    assert report_category("spam", []) == "spam"
    assert report_category("violation", [1]) == "violation"
    for category, rules in (("spam", [1]), ("rude", [])):
        with pytest.raises(Invalid):
            report_category(category, rules)


def test_tag_names() -> None:
    assert valid_tag_name("#Godwits") == "Godwits"
    assert valid_tag_name("café") == "café"
    for bad in ("", "#", "123", "two words", "a-b"):
        with pytest.raises(Invalid):
            valid_tag_name(bad)


def test_trend_score_weighs_recent_days_and_distinct_accounts() -> None:
    today = midnight_utc(NOW)
    last_week = today - dt.timedelta(days=6)
    fresh = TagUsage(tag_id=1, by_day={today: (3, 3)}, accounts=3)
    stale = TagUsage(tag_id=2, by_day={last_week: (30, 3)}, accounts=3)
    solo = TagUsage(tag_id=3, by_day={today: (5, 1)}, accounts=1)
    assert trend_score(fresh, NOW) == pytest.approx(9.0)
    assert trend_score(stale, NOW) == pytest.approx(30 * 0.5**6 * 3)
    assert trend_score(fresh, NOW) > trend_score(stale, NOW)
    assert trend_score(fresh, NOW) > trend_score(solo, NOW)


def test_history_covers_the_week_today_first() -> None:
    today = midnight_utc(NOW)
    history = fill_history({today - dt.timedelta(days=1): (2, 1)}, NOW)
    assert [day.day for day in history][:2] == [today, today - dt.timedelta(days=1)]
    assert len(history) == 7
    assert (history[1].uses, history[1].accounts) == (2, 1)
    assert history[0].uses == 0


def test_suggestions_merge_reasons_friends_first() -> None:
    merged = merge_suggestions(popular=[5, 6], friends=[6, 7], limit=3)
    assert [(item.account_id, item.sources) for item in merged] == [
        (6, ("friends_of_friends", "most_followed")),
        (7, ("friends_of_friends",)),
        (5, ("most_followed",)),
    ]


def test_directory_order() -> None:
    assert directory_order(None) == "active"
    assert directory_order("new") == "new"
    with pytest.raises(Invalid):
        directory_order("oldest")
