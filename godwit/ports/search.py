"""Repository port for the full-text index of statuses and for hashtag lookups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.posts import Status
from godwit.domain.search import StatusSearch, TagDay, TagSummary


class SearchRepository(Protocol):
    async def index_status(self, status: Status) -> None:
        """Index (or re-index, after an edit) a status; reblogs are ignored. Call it in the
        transaction that writes the status."""
        ...

    async def unindex(self, status_id: int) -> None:
        """Remove the status's entry (deleting the status row also removes it)."""
        ...

    async def is_indexed(self, status_id: int) -> bool: ...

    async def status_ids(self, search: StatusSearch) -> list[int]:
        """Ids of matching statuses the viewer may be shown — public and unlisted posts of
        indexable accounts, the viewer's own, those mentioning the viewer, and posts of
        accounts the viewer follows — without blocked (either way) or muted authors. Best
        matches first, then newest. One query."""
        ...

    async def tags_by_prefix(self, prefix: str, limit: int, offset: int) -> list[TagSummary]:
        """Tags whose stored name starts with ``prefix``: an exact match first, then the
        shortest names. Without history."""
        ...

    async def tag_by_name(self, name: str) -> TagSummary | None:
        """The tag stored under ``name`` (already normalised with ``tag_key``)."""
        ...

    async def tag_history(
        self, tag_ids: Sequence[int], days: Sequence[dt.date]
    ) -> dict[int, tuple[TagDay, ...]]:
        """Uses and distinct accounts per UTC day, in the order of ``days``, counting public
        and unlisted original posts only. One query whatever the number of tags."""
        ...
