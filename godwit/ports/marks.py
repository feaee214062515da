"""Repository port for what a member marks privately: bookmarks, pins, muted threads and
notes about accounts, plus the member's favourites as a list.

Nothing here applies visibility: callers filter statuses with ``present_statuses``.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from godwit.domain.pagination import PageRequest


class MarkRepository(Protocol):
    async def add_bookmark(self, account_id: int, status_id: int, now: dt.datetime) -> bool:
        """Whether a bookmark was added (False if it already existed)."""
        ...

    async def remove_bookmark(self, account_id: int, status_id: int) -> bool: ...

    async def bookmarks_page(self, account_id: int, page: PageRequest) -> list[tuple[int, int]]:
        """(bookmark row id, status id), newest first; the cursor is the row id."""
        ...

    async def favourites_page(self, account_id: int, page: PageRequest) -> list[tuple[int, int]]:
        """(favourite row id, status id), newest first; the cursor is the row id."""
        ...

    async def add_pin(self, account_id: int, status_id: int, now: dt.datetime) -> bool: ...

    async def remove_pin(self, account_id: int, status_id: int) -> bool: ...

    async def pin_count(self, account_id: int) -> int: ...

    async def conversation_of(self, status_id: int) -> int | None:
        """The thread (root status id) a status belongs to; None if the status is gone."""
        ...

    async def mute_conversation(
        self, account_id: int, conversation_id: int, now: dt.datetime
    ) -> None: ...

    async def unmute_conversation(self, account_id: int, conversation_id: int) -> None: ...

    async def conversation_muted(self, account_id: int, status_id: int) -> bool:
        """Whether the account muted the thread ``status_id`` belongs to (one query)."""
        ...

    async def set_note(
        self, account_id: int, target_id: int, comment: str, now: dt.datetime
    ) -> None:
        """Store the note (an empty comment deletes it)."""
        ...
