"""Repository port for the moderators' queue (reports today, held posts with issue 6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.mod_queue import QueueItem, QueueQuery
from godwit.domain.pagination import PageRequest


class ModerationQueueRepository(Protocol):
    async def add(self, item: QueueItem) -> None: ...

    async def get(self, item_id: int, *, for_update: bool = False) -> QueueItem | None:
        """``for_update`` locks the row on PostgreSQL until the transaction ends, so two
        moderators resolving the same item do it one after the other."""
        ...

    async def get_many(self, item_ids: Sequence[int]) -> dict[int, QueueItem]: ...

    async def page(self, query: QueueQuery, page: PageRequest) -> list[QueueItem]:
        """Newest first, by id."""
        ...

    async def count_open(self) -> int: ...

    async def assign(self, item_id: int, account_id: int | None, at: dt.datetime) -> None: ...

    async def resolve(
        self,
        item_id: int,
        *,
        by_account_id: int | None,
        resolution: str,
        note: str,
        at: dt.datetime,
    ) -> None: ...

    async def reopen(self, item_id: int, at: dt.datetime) -> None: ...
