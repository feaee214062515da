"""Repository port for members' filters (v2: filters with keywords and statuses)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.filters import Filter, FilterKeyword, FilterStatus


class FilterRepository(Protocol):
    async def list_for(self, account_id: int) -> list[Filter]:
        """The account's filters with their keywords and statuses, newest first (3 queries)."""
        ...

    async def get(self, filter_id: int) -> Filter | None:
        """One filter with its keywords and statuses."""
        ...

    async def active_for(self, account_id: int, now: dt.datetime) -> list[Filter]:
        """The account's unexpired filters with keywords and statuses, in one query.
        Remembered for the rest of the transaction, so a page presented in several rounds
        loads them once."""
        ...

    async def active_for_many(
        self, account_ids: Sequence[int], now: dt.datetime
    ) -> dict[int, list[Filter]]:
        """``active_for`` of many accounts in one query (every account is a key)."""
        ...

    async def count_for(self, account_id: int) -> int: ...

    async def create(self, flt: Filter) -> None:
        """Insert the filter and its keywords and statuses."""
        ...

    async def update(
        self,
        filter_id: int,
        *,
        title: str,
        context: Sequence[str],
        action: str,
        expires_at: dt.datetime | None,
    ) -> None: ...

    async def delete(self, filter_id: int) -> None: ...

    async def get_keyword(self, keyword_id: int) -> FilterKeyword | None: ...

    async def add_keyword(self, keyword: FilterKeyword, now: dt.datetime) -> None: ...

    async def update_keyword(self, keyword_id: int, keyword: str, whole_word: bool) -> None: ...

    async def delete_keywords(self, filter_id: int, keyword_ids: Sequence[int]) -> None:
        """Remove those of ``keyword_ids`` that belong to ``filter_id``."""
        ...

    async def get_status(self, filter_status_id: int) -> FilterStatus | None: ...

    async def add_status(self, entry: FilterStatus, now: dt.datetime) -> bool:
        """False when the status is already in the filter."""
        ...

    async def delete_status(self, filter_status_id: int) -> None: ...
