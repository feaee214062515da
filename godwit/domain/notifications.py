"""Notifications: what happened to a member, by whom, about which status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The types Godwit creates today. Mastodon also knows poll, update and admin.*; they arrive
# with the features that cause them, and filters naming them are accepted and match nothing.
NOTIFICATION_TYPES = ("mention", "status", "reblog", "follow", "follow_request", "favourite")
KNOWN_TYPES = frozenset(
    (
        *NOTIFICATION_TYPES,
        "poll", "update", "admin.sign_up", "admin.report", "severed_relationships",
        "moderation_warning", "quote", "quoted_update",
    )
)  # fmt: skip

# Types that name a status: a notification of one of these whose status the reader may no
# longer see is hidden.
STATUS_TYPES = frozenset({"mention", "status", "reblog", "favourite", "poll", "update"})

# Grouped notifications (API v2) fold these per status; the others stay one per group.
GROUPABLE_TYPES = frozenset({"favourite", "reblog"})

MARKER_TIMELINES = ("home", "notifications")


@dataclass(frozen=True, slots=True)
class Notification:
    id: int
    recipient_id: int
    from_account_id: int
    type: str
    status_id: int | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class NotificationFilter:
    """Which notifications a listing asks for (empty tuples mean no restriction)."""

    types: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    from_account_id: int | None = None


@dataclass(frozen=True, slots=True)
class Marker:
    """A member's last-read position in a timeline; ``version`` counts the updates."""

    timeline: str
    last_read_id: int
    version: int
    updated_at: dt.datetime


def group_key(notification: Notification) -> str:
    """Favourites and reblogs of one status group together; everything else stands alone."""
    if notification.type in GROUPABLE_TYPES and notification.status_id is not None:
        return f"{notification.type}-{notification.status_id}"
    return f"ungrouped-{notification.id}"
