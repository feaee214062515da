"""The rules of editing a status's poll (godwit.domain.poll_edits)."""

from __future__ import annotations

import datetime as dt

from godwit.domain.poll_edits import plan_poll_edit
from godwit.domain.polls import Poll, PollRequest

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


def _poll(**changes: object) -> Poll:
    values: dict[str, object] = {
        "id": 1,
        "status_id": 2,
        "account_id": 3,
        "options": ("tea", "coffee"),
        "tallies": (4, 1),
        "multiple": False,
        "hide_totals": False,
        "expires_at": NOW + dt.timedelta(hours=1),
        "votes_count": 5,
        "voters_count": 5,
    }
    values.update(changes)
    return Poll(**values)  # type: ignore[arg-type]


def test_no_poll_before_or_after_changes_nothing() -> None:
    edit = plan_poll_edit(None, None, NOW)
    assert not edit.changed
    assert edit.options_after is None


def test_adding_and_removing() -> None:
    added = plan_poll_edit(None, PollRequest(("a", "b"), 600), NOW)
    assert added.adds
    assert added.changed
    assert added.expires_at == NOW + dt.timedelta(seconds=600)
    removed = plan_poll_edit(_poll(), None, NOW)
    assert removed.removes
    assert removed.changed
    assert removed.options_after is None


def test_new_options_or_multiple_reset_the_votes() -> None:
    assert plan_poll_edit(_poll(), PollRequest(("tea", "cocoa"), 3600), NOW).reset_votes
    assert plan_poll_edit(_poll(), PollRequest(("coffee", "tea"), 3600), NOW).reset_votes
    assert plan_poll_edit(
        _poll(), PollRequest(("tea", "coffee"), 3600, multiple=True), NOW
    ).reset_votes


def test_same_options_keep_the_votes_and_the_end_is_recomputed() -> None:
    same = plan_poll_edit(_poll(), PollRequest(("tea", "coffee"), 3600), NOW)
    assert not same.reset_votes
    assert not same.changed  # the same end: nothing to record
    longer = plan_poll_edit(_poll(), PollRequest(("tea", "coffee"), 7200), NOW)
    assert not longer.reset_votes
    assert longer.changed
    assert longer.expires_at == NOW + dt.timedelta(hours=2)
    hidden = plan_poll_edit(_poll(), PollRequest(("tea", "coffee"), 3600, hide_totals=True), NOW)
    assert not hidden.reset_votes
    assert hidden.changed
