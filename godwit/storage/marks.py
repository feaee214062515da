"""SQL repository for bookmarks, pins, muted threads, account notes and favourites lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.storage.schema import (
    account_notes,
    conversation_mutes,
    favourites,
    status_bookmarks,
    status_pins,
    statuses,
)


class SqlMarks:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def _insert_unless_present(self, table: Any, values: dict[str, Any]) -> bool:
        """Insert a row; a duplicate is a no-op. The savepoint keeps PostgreSQL's
        transaction usable after the unique constraint fires."""
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(insert(table).values(**values))
        except IntegrityError:
            return False
        return True

    async def _page(self, query: Select[Any], cursor: Any, page: PageRequest) -> list[Any]:
        """Mastodon cursor pagination on ``cursor``: newest first, or upwards from min_id."""
        if page.max_id is not None:
            query = query.where(cursor < page.max_id)
        if page.lower is not None:
            query = query.where(cursor > page.lower)
        query = query.order_by(cursor.asc() if page.ascending else cursor.desc())
        rows = list(await self.conn.execute(query.limit(page.limit)))
        if page.ascending:
            rows.reverse()
        return rows

    # -- bookmarks and favourites ------------------------------------------------------

    async def add_bookmark(self, account_id: int, status_id: int, now: dt.datetime) -> bool:
        return await self._insert_unless_present(
            status_bookmarks,
            {"id": new_id(), "account_id": account_id, "status_id": status_id, "created_at": now},
        )

    async def remove_bookmark(self, account_id: int, status_id: int) -> bool:
        result = await self.conn.execute(
            delete(status_bookmarks).where(
                status_bookmarks.c.account_id == account_id,
                status_bookmarks.c.status_id == status_id,
            )
        )
        return bool(result.rowcount)

    async def bookmarks_page(self, account_id: int, page: PageRequest) -> list[tuple[int, int]]:
        query = select(status_bookmarks.c.id, status_bookmarks.c.status_id).where(
            status_bookmarks.c.account_id == account_id
        )
        rows = await self._page(query, status_bookmarks.c.id, page)
        return [(row[0], row[1]) for row in rows]

    async def favourites_page(self, account_id: int, page: PageRequest) -> list[tuple[int, int]]:
        query = select(favourites.c.id, favourites.c.status_id).where(
            favourites.c.account_id == account_id
        )
        rows = await self._page(query, favourites.c.id, page)
        return [(row[0], row[1]) for row in rows]

    # -- pins --------------------------------------------------------------------------

    async def add_pin(self, account_id: int, status_id: int, now: dt.datetime) -> bool:
        return await self._insert_unless_present(
            status_pins, {"account_id": account_id, "status_id": status_id, "created_at": now}
        )

    async def remove_pin(self, account_id: int, status_id: int) -> bool:
        result = await self.conn.execute(
            delete(status_pins).where(
                status_pins.c.account_id == account_id, status_pins.c.status_id == status_id
            )
        )
        return bool(result.rowcount)

    async def pin_count(self, account_id: int) -> int:
        count = await self.conn.scalar(
            select(func.count())
            .select_from(status_pins)
            .where(status_pins.c.account_id == account_id)
        )
        return int(count or 0)

    # -- muted threads -----------------------------------------------------------------

    async def conversation_of(self, status_id: int) -> int | None:
        found = await self.conn.scalar(
            select(func.coalesce(statuses.c.conversation_id, statuses.c.id)).where(
                statuses.c.id == status_id
            )
        )
        return int(found) if found is not None else None

    async def mute_conversation(
        self, account_id: int, conversation_id: int, now: dt.datetime
    ) -> None:
        await self._insert_unless_present(
            conversation_mutes,
            {"account_id": account_id, "conversation_id": conversation_id, "created_at": now},
        )

    async def unmute_conversation(self, account_id: int, conversation_id: int) -> None:
        await self.conn.execute(
            delete(conversation_mutes).where(
                conversation_mutes.c.account_id == account_id,
                conversation_mutes.c.conversation_id == conversation_id,
            )
        )

    async def conversation_muted(self, account_id: int, status_id: int) -> bool:
        thread = func.coalesce(statuses.c.conversation_id, statuses.c.id)
        found = await self.conn.scalar(
            select(conversation_mutes.c.conversation_id)
            .join(statuses, conversation_mutes.c.conversation_id == thread)
            .where(conversation_mutes.c.account_id == account_id, statuses.c.id == status_id)
            .limit(1)
        )
        return found is not None

    # -- account notes -----------------------------------------------------------------

    async def set_note(
        self, account_id: int, target_id: int, comment: str, now: dt.datetime
    ) -> None:
        mine = (
            account_notes.c.account_id == account_id,
            account_notes.c.target_account_id == target_id,
        )
        if not comment:
            await self.conn.execute(delete(account_notes).where(*mine))
            return
        values = {"comment": comment, "updated_at": now}
        updated = await self.conn.execute(update(account_notes).where(*mine).values(**values))
        if updated.rowcount:
            return
        if not await self._insert_unless_present(
            account_notes, {"account_id": account_id, "target_account_id": target_id, **values}
        ):  # written meanwhile by a concurrent request: last writer wins
            await self.conn.execute(update(account_notes).where(*mine).values(**values))

    async def notes(self, account_id: int, among: Collection[int]) -> dict[int, str]:
        """The account's notes about each of ``among`` that has one (one query)."""
        wanted = sorted(set(among))
        if not wanted:
            return {}
        rows = await self.conn.execute(
            select(account_notes.c.target_account_id, account_notes.c.comment).where(
                account_notes.c.account_id == account_id,
                account_notes.c.target_account_id.in_(wanted),
            )
        )
        return {row.target_account_id: row.comment for row in rows}
