"""decide(): Mastodon's NotifyService conditions for accept, filter and drop."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from godwit.domain.notification_policy import (
    NotificationPolicy,
    PolicyAction,
    Screening,
    decide,
)

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
ACCEPT, FILTER, DROP = PolicyAction.ACCEPT, PolicyAction.FILTER, PolicyAction.DROP


def _screening(**changes: object) -> Screening:
    base = Screening(
        policy=NotificationPolicy(),
        permitted=False,
        recipient_follows_sender=True,
        sender_follows_since=NOW - dt.timedelta(days=100),
        sender_created_at=NOW - dt.timedelta(days=365),
        sender_limited=False,
        sender_is_staff=False,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _policy(**changes: PolicyAction) -> NotificationPolicy:
    return dataclasses.replace(NotificationPolicy(), **changes)


def test_defaults_accept_ordinary_notifications_from_strangers() -> None:
    stranger = _screening(recipient_follows_sender=False, sender_follows_since=None)
    for type in ("favourite", "reblog", "follow", "mention"):
        assert decide(stranger, type, NOW) is ACCEPT


def test_private_mentions_from_strangers_are_filtered_by_default() -> None:
    private = _screening(recipient_follows_sender=False, status_visibility="direct")
    assert decide(private, "mention", NOW) is FILTER
    assert decide(dataclasses.replace(private, recipient_follows_sender=True), "mention", NOW) is (
        ACCEPT
    )
    # A reply to the recipient is a conversation they started.
    reply = dataclasses.replace(private, status_replies_to_recipient=True)
    assert decide(reply, "mention", NOW) is ACCEPT
    assert decide(dataclasses.replace(private, status_visibility="public"), "mention", NOW) is (
        ACCEPT
    )


def test_limited_senders_are_filtered_unless_followed() -> None:
    limited = _screening(sender_limited=True, recipient_follows_sender=False)
    assert decide(limited, "favourite", NOW) is FILTER
    assert decide(
        dataclasses.replace(limited, recipient_follows_sender=True), "favourite", NOW
    ) is (ACCEPT)


@pytest.mark.parametrize(
    ("field", "screening_changes"),
    [
        ("for_not_following", {"recipient_follows_sender": False}),
        ("for_not_followers", {"sender_follows_since": None}),
        ("for_not_followers", {"sender_follows_since": NOW - dt.timedelta(days=2)}),
        ("for_new_accounts", {"sender_created_at": NOW - dt.timedelta(days=29)}),
    ],
)
def test_each_condition_filters_or_drops(field: str, screening_changes: dict[str, object]) -> None:
    screening = _screening(**screening_changes)
    for action in (FILTER, DROP):
        assert (
            decide(
                _screening(policy=_policy(**{field: action}), **screening_changes), "favourite", NOW
            )
            is action
        )
    assert decide(screening, "favourite", NOW) is ACCEPT  # the default is accept


def test_drop_wins_over_filter_and_accepted_senders_always_pass() -> None:
    stranger = _screening(
        policy=_policy(for_not_following=FILTER, for_new_accounts=DROP),
        recipient_follows_sender=False,
        sender_created_at=NOW - dt.timedelta(days=1),
    )
    assert decide(stranger, "follow", NOW) is DROP
    assert decide(dataclasses.replace(stranger, permitted=True), "follow", NOW) is ACCEPT


def test_some_types_are_never_held_back_and_staff_mentions_pass() -> None:
    everything = _policy(for_not_following=DROP, for_not_followers=DROP, for_new_accounts=DROP)
    stranger = _screening(
        policy=everything,
        recipient_follows_sender=False,
        sender_follows_since=None,
        status_visibility="direct",
    )
    for type in ("status", "poll", "update", "admin.sign_up", "severed_relationships"):
        assert decide(stranger, type, NOW) is ACCEPT
    assert decide(stranger, "mention", NOW) is DROP
    assert decide(dataclasses.replace(stranger, sender_is_staff=True), "mention", NOW) is ACCEPT
    assert decide(dataclasses.replace(stranger, sender_is_staff=True), "favourite", NOW) is DROP
