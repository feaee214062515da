"""SQL repository for the moderators' queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.mod_queue import OPEN, RESOLVED, QueueItem, QueueQuery
from godwit.domain.pagination import PageRequest
from godwit.storage.feeds import windowed
from godwit.storage.schema import moderation_queue, reports

Q = moderation_queue.c


def _item(row: Any) -> QueueItem:
    return QueueItem(
        id=row.id,
        kind=row.kind,
        target_account_id=row.target_account_id,
        state=row.state,
        created_at=row.created_at,
        updated_at=row.updated_at,
        report_id=row.report_id,
        status_id=row.status_id,
        assigned_account_id=row.assigned_account_id,
        resolution=row.resolution,
        resolution_note=row.resolution_note,
        resolved_at=row.resolved_at,
        resolved_by_account_id=row.resolved_by_account_id,
    )


class SqlModerationQueue:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, item: QueueItem) -> None:
        await self.conn.execute(
            insert(moderation_queue).values(
                id=item.id,
                kind=item.kind,
                report_id=item.report_id,
                status_id=item.status_id,
                target_account_id=item.target_account_id,
                state=item.state,
                assigned_account_id=item.assigned_account_id,
                resolution=item.resolution,
                resolution_note=item.resolution_note,
                resolved_at=item.resolved_at,
                resolved_by_account_id=item.resolved_by_account_id,
                created_at=item.created_at,
                updated_at=item.updated_at,
            )
        )

    async def get(self, item_id: int, *, for_update: bool = False) -> QueueItem | None:
        query = select(moderation_queue).where(Q.id == item_id)
        if for_update:
            query = query.with_for_update()  # SQLite ignores it: its writers are serialised
        row = (await self.conn.execute(query)).first()
        return _item(row) if row is not None else None

    async def get_many(self, item_ids: Sequence[int]) -> dict[int, QueueItem]:
        wanted = sorted(set(item_ids))
        if not wanted:
            return {}
        rows = await self.conn.execute(select(moderation_queue).where(Q.id.in_(wanted)))
        return {row.id: _item(row) for row in rows}

    async def page(self, query: QueueQuery, page: PageRequest) -> list[QueueItem]:
        statement = select(moderation_queue)
        if query.state is not None:
            statement = statement.where(Q.state == query.state)
        if query.kind is not None:
            statement = statement.where(Q.kind == query.kind)
        if query.unassigned:
            statement = statement.where(Q.assigned_account_id.is_(None))
        elif query.assigned_account_id is not None:
            statement = statement.where(Q.assigned_account_id == query.assigned_account_id)
        if query.target_account_id is not None:
            statement = statement.where(Q.target_account_id == query.target_account_id)
        if query.reporter_account_id is not None:
            statement = statement.where(
                Q.report_id.in_(
                    select(reports.c.id).where(reports.c.account_id == query.reporter_account_id)
                )
            )
        rows = [_item(row) for row in await self.conn.execute(windowed(statement, Q.id, page))]
        return list(reversed(rows)) if page.ascending else rows

    async def count_open(self) -> int:
        query = select(func.count()).select_from(moderation_queue).where(Q.state == OPEN)
        return int((await self.conn.execute(query)).scalar_one())

    async def assign(self, item_id: int, account_id: int | None, at: dt.datetime) -> None:
        await self.conn.execute(
            update(moderation_queue)
            .where(Q.id == item_id)
            .values(assigned_account_id=account_id, updated_at=at)
        )

    async def resolve(
        self,
        item_id: int,
        *,
        by_account_id: int | None,
        resolution: str,
        note: str,
        at: dt.datetime,
    ) -> None:
        await self.conn.execute(
            update(moderation_queue)
            .where(Q.id == item_id)
            .values(
                state=RESOLVED,
                resolution=resolution,
                resolution_note=note,
                resolved_at=at,
                resolved_by_account_id=by_account_id,
                updated_at=at,
            )
        )

    async def reopen(self, item_id: int, at: dt.datetime) -> None:
        await self.conn.execute(
            update(moderation_queue)
            .where(Q.id == item_id)
            .values(
                state=OPEN,
                resolution=None,
                resolution_note="",
                resolved_at=None,
                resolved_by_account_id=None,
                updated_at=at,
            )
        )
