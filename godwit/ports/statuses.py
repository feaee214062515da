"""Repository port for statuses, their mentions, tags, favourites, reblogs and pins.

Bulk reads answer in a bounded number of queries whatever the number of ids. Nothing here
applies visibility: callers filter with ``godwit.services.presenting.present_statuses``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.pagination import PageRequest
from godwit.domain.posting import AccountStatusesQuery, Deleted, NewStatus
from godwit.domain.posts import Status, StatusView, ViewerState


class StatusRepository(Protocol):
    async def get(self, status_id: int) -> Status | None: ...

    async def get_held(self, status_id: int) -> Status | None:
        """Like ``get``, and the status cannot be deleted until this transaction ends (a
        deletion waits), so rows written meanwhile may refer to it."""
        ...

    async def get_many(self, ids: Sequence[int]) -> dict[int, Status]:
        """One query; missing ids are absent."""
        ...

    async def load_views(self, ids: Sequence[int], viewer_id: int | None) -> dict[int, StatusView]:
        """Everything needed to show the statuses (author, reblogged original, mentions,
        tags, application, the viewer's favourite/reblog/pin) in a bounded number of
        queries. Does not filter visibility."""
        ...

    async def viewers_states(
        self, status_ids: Sequence[int], viewer_ids: Sequence[int]
    ) -> dict[int, dict[int, ViewerState]]:
        """What each viewer did to each status (viewer id -> status id -> favourited,
        reblogged, pinned, bookmarked, thread muted), in one query; statuses a viewer did
        nothing to are absent. With ``load_views(ids, None)``, the views of many viewers."""
        ...

    async def mentioned_ids(self, status_ids: Sequence[int]) -> dict[int, set[int]]:
        """Account ids mentioned by each status (one query)."""
        ...

    async def create(self, new: NewStatus) -> Status:
        """Insert the status, its mentions and tags (creating unknown tags), and bump the
        parent's replies_count or the original's reblogs_count. Not the account counters."""
        ...

    async def delete(self, status_id: int) -> Deleted | None:
        """Delete the row (mentions, tags, favourites, pins, feed entries, notifications
        and reblogs of it go by cascade) and lower the parent's or original's counter."""
        ...

    async def find_reblog(self, account_id: int, original_id: int) -> Status | None: ...

    async def add_favourite(self, account_id: int, status_id: int, now: dt.datetime) -> bool:
        """Whether a favourite was added (False if it already existed)."""
        ...

    async def remove_favourite(self, account_id: int, status_id: int) -> bool: ...

    async def favourited_by(self, status_id: int, page: PageRequest) -> list[tuple[int, int]]:
        """(favourite row id, account id), newest first; the cursor is the row id."""
        ...

    async def reblogged_by(self, status_id: int, page: PageRequest) -> list[tuple[int, int]]:
        """(reblog status id, account id), newest first; the cursor is the reblog's id."""
        ...

    async def ancestors(self, status: Status, limit: int) -> list[Status]:
        """The chain of parents, oldest first, at most ``limit`` (one query)."""
        ...

    async def descendants(self, status_id: int, limit: int, max_depth: int) -> list[Status]:
        """Replies, replies to them and so on, at most ``limit`` (one query), unordered."""
        ...

    async def account_statuses(self, query: AccountStatusesQuery, page: PageRequest) -> list[int]:
        """Status ids of one account, newest first, cursor on the status id."""
        ...

    async def idempotent_status(
        self, account_id: int, key: str, not_before: dt.datetime
    ) -> int | None:
        """The status an Idempotency-Key made since ``not_before``, if any."""
        ...

    async def remember_idempotency_key(
        self, account_id: int, key: str, status_id: int, now: dt.datetime
    ) -> bool:
        """Store the key (replacing an expired one); False if a live one already exists."""
        ...
