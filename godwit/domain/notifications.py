"""Notifications: what happened to a member, by whom, about which status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from godwit.domain.ids import parse_id

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

# Grouped notifications (API v2): favourites and reblogs of one status fold together, and so
# do follows (and sign-ups) of one UTC day. Every other type is its own group.
GROUPABLE_TYPES = frozenset({"favourite", "reblog", "follow", "admin.sign_up"})
_PER_STATUS = frozenset({"favourite", "reblog"})
UNGROUPED_PREFIX = "ungrouped-"
MAX_GROUP_KEY = 64
MAX_SAMPLE_ACCOUNTS = 8

MARKER_TIMELINES = ("home", "notifications")


@dataclass(frozen=True, slots=True)
class Notification:
    id: int
    recipient_id: int
    from_account_id: int
    type: str
    status_id: int | None
    created_at: dt.datetime
    # Stored at insert (see compute_group_key); None for the types that never group.
    group_key: str | None = None
    # Held back by the recipient's notification policy (shown only with include_filtered).
    filtered: bool = False
    # moderation_warning: the AccountWarning it shows.
    account_warning_id: int | None = None

    def grouping_key(self, grouped_types: frozenset[str] = GROUPABLE_TYPES) -> str:
        """The group this notification belongs to when ``grouped_types`` may be grouped. A
        filtered notification stands alone, as in Mastodon (it carries no group there)."""
        if self.filtered or self.type not in grouped_types or not self.group_key:
            return f"{UNGROUPED_PREFIX}{self.id}"
        return self.group_key


@dataclass(frozen=True, slots=True)
class NotificationFilter:
    """Which notifications a listing asks for (empty tuples mean no restriction)."""

    types: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    from_account_id: int | None = None
    include_filtered: bool = False
    # Only this group (a stored key, or "ungrouped-<id>" for one notification, filtered or not).
    group_key: str | None = None


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """One group as far as a page reaches (``id <= page top``): its size, its newest
    notification, the newest senders, and its oldest notification within the page."""

    group_key: str
    notifications_count: int
    most_recent_id: int
    latest_at: dt.datetime
    sample_account_ids: tuple[int, ...]
    page_min_id: int | None = None


@dataclass(frozen=True, slots=True)
class Marker:
    """A member's last-read position in a timeline; ``version`` counts the updates."""

    timeline: str
    last_read_id: int
    version: int
    updated_at: dt.datetime


def compute_group_key(type: str, status_id: int | None, created_at: dt.datetime) -> str | None:
    """The key stored with a new notification: ``favourite-<status id>``,
    ``reblog-<status id>``, ``follow-<UTC day>``, ``admin.sign_up-<UTC day>``; None for the
    other types, which are shown as ``ungrouped-<id>``. Opaque to clients."""
    if type in _PER_STATUS:
        return f"{type}-{status_id}" if status_id is not None else None
    if type in GROUPABLE_TYPES:
        return f"{type}-{created_at.astimezone(dt.UTC).date().isoformat()}"
    return None


def ungrouped_id(group_key: str) -> int | None:
    """The notification id of an ``ungrouped-<id>`` key; None for any other key."""
    if not group_key.startswith(UNGROUPED_PREFIX):
        return None
    return parse_id(group_key.removeprefix(UNGROUPED_PREFIX))
