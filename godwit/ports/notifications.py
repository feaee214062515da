"""Repository port for notifications and the per-member read markers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.notifications import GroupSummary, Marker, Notification, NotificationFilter
from godwit.domain.pagination import PageRequest


class NotificationRepository(Protocol):
    async def add(
        self,
        *,
        recipient_id: int,
        from_account_id: int,
        type: str,
        status_id: int | None,
        filtered: bool = False,
    ) -> int | None:
        """Store a notification for a LOCAL recipient, with its group key; the new id, or
        None when the recipient is not local or the same (type, recipient, from, status)
        already exists. ``filtered``: held back by the recipient's policy."""
        ...

    async def remove(
        self, *, recipient_id: int, from_account_id: int, type: str, status_id: int | None
    ) -> None: ...

    async def remove_between(self, a: int, b: int) -> None:
        """Delete every notification one of the two accounts caused the other (on a block)."""
        ...

    async def page(
        self, recipient_id: int, page: PageRequest, where: NotificationFilter
    ) -> list[Notification]:
        """Newest first, without those from accounts the recipient blocks, is blocked by or
        mutes with notifications hidden (so a page is short only at the end), and without
        filtered ones unless ``where.include_filtered``."""
        ...

    async def get(self, recipient_id: int, notification_id: int) -> Notification | None: ...

    async def dismiss(self, recipient_id: int, notification_id: int) -> bool: ...

    async def clear(self, recipient_id: int) -> None: ...

    async def count_after(
        self, recipient_id: int, after_id: int | None, limit: int, where: NotificationFilter
    ) -> int:
        """How many notifications newer than ``after_id`` ``page`` would show, up to ``limit``."""
        ...

    async def markers(self, account_id: int, timelines: Sequence[str]) -> dict[str, Marker]: ...

    async def save_marker(
        self, account_id: int, timeline: str, last_read_id: int, now: dt.datetime
    ) -> Marker:
        """Insert or update the marker, incrementing its version."""
        ...


class NotificationGroupRepository(Protocol):
    """Grouped notifications (API v2) over the group keys stored with each notification."""

    async def summaries(
        self,
        recipient_id: int,
        group_keys: Sequence[str],
        where: NotificationFilter,
        *,
        top_id: int | None = None,
        bottom_id: int | None = None,
    ) -> dict[str, GroupSummary]:
        """For each stored key (in one query): the count of its visible, unfiltered
        notifications with ``id <= top_id``, the newest of them, its newest senders (up to
        MAX_SAMPLE_ACCOUNTS) and, with ``bottom_id``, its oldest id ``>= bottom_id``."""
        ...

    async def count_after(
        self,
        recipient_id: int,
        after_id: int | None,
        limit: int,
        where: NotificationFilter,
        grouped_types: frozenset[str],
    ) -> int:
        """How many groups (up to ``limit``) the notifications newer than ``after_id`` form."""
        ...

    async def dismiss(self, recipient_id: int, group_key: str) -> int:
        """Delete the group's notifications (see NotificationFilter.group_key); how many."""
        ...
