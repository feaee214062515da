"""Notification policy (Mastodon 4.3): which senders' notifications a member accepts, holds
back as "filtered" (listed as notification requests) or drops, and the rule deciding it."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, fields

from godwit.domain.posts import Visibility


class PolicyAction(enum.StrEnum):
    ACCEPT = "accept"
    FILTER = "filter"
    DROP = "drop"


@dataclass(frozen=True, slots=True)
class NotificationPolicy:
    """One member's policy. The defaults are Mastodon's: private mentions from strangers
    and notifications from limited (silenced) accounts are filtered, the rest accepted."""

    for_not_following: PolicyAction = PolicyAction.ACCEPT
    for_not_followers: PolicyAction = PolicyAction.ACCEPT
    for_new_accounts: PolicyAction = PolicyAction.ACCEPT
    for_private_mentions: PolicyAction = PolicyAction.FILTER
    for_limited_accounts: PolicyAction = PolicyAction.FILTER


POLICY_FIELDS: tuple[str, ...] = tuple(field.name for field in fields(NotificationPolicy))

# Mastodon's "filterable" notification types; the others (status, poll, update, admin.*,
# severed relationships, moderation warnings) always go through.
FILTERABLE_TYPES = frozenset(
    {"mention", "reblog", "follow", "follow_request", "favourite", "quote"}
)
NEW_ACCOUNT_AGE = dt.timedelta(days=30)
NEW_FOLLOWER_AGE = dt.timedelta(days=3)
# The summary counts at most this many requests ("Capped at 100").
MAX_PENDING_REQUESTS = 100


@dataclass(frozen=True, slots=True)
class PolicySummary:
    pending_requests_count: int
    pending_notifications_count: int


@dataclass(frozen=True, slots=True)
class Screening:
    """What the policy needs to know about one would-be notification (read in one query)."""

    policy: NotificationPolicy
    permitted: bool  # the recipient accepted a notification request from the sender
    recipient_follows_sender: bool
    sender_follows_since: dt.datetime | None  # when the sender followed the recipient
    sender_created_at: dt.datetime
    sender_limited: bool  # silenced by a moderator
    sender_is_staff: bool  # a local moderator or admin
    status_visibility: str | None = None  # of the status the notification names
    status_replies_to_recipient: bool = False


def decide(screening: Screening, type: str, now: dt.datetime) -> PolicyAction:
    """Mastodon's NotifyService conditions: any applicable "drop" wins, then any "filter".
    A sender whose request the recipient accepted, and staff mentioning a member, always pass.
    A private mention counts as solicited when it replies to the recipient (Mastodon walks
    the thread for an earlier private mention of the sender; one level is checked here)."""
    if type not in FILTERABLE_TYPES or screening.permitted:
        return PolicyAction.ACCEPT
    if type == "mention" and screening.sender_is_staff:
        return PolicyAction.ACCEPT
    policy = screening.policy
    not_following = not screening.recipient_follows_sender
    follows_since = screening.sender_follows_since
    private_mention = (
        type == "mention"
        and screening.status_visibility == Visibility.DIRECT.value
        and not screening.status_replies_to_recipient
    )
    applicable = [
        (policy.for_limited_accounts, screening.sender_limited and not_following),
        (policy.for_not_following, not_following),
        (policy.for_not_followers, follows_since is None or follows_since > now - NEW_FOLLOWER_AGE),
        (policy.for_new_accounts, screening.sender_created_at > now - NEW_ACCOUNT_AGE),
        (policy.for_private_mentions, private_mention and not_following),
    ]
    actions = {action for action, applies in applicable if applies}
    if PolicyAction.DROP in actions:
        return PolicyAction.DROP
    if PolicyAction.FILTER in actions:
        return PolicyAction.FILTER
    return PolicyAction.ACCEPT


@dataclass(frozen=True, slots=True)
class NotificationRequest:
    """The filtered notifications one sender caused one recipient, waiting for a decision."""

    id: int
    recipient_id: int
    from_account_id: int
    last_status_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    notifications_count: int = 0
