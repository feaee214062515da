"""SQL repositories for scheduled statuses and direct-message conversations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.domain.scheduling import Conversation, ScheduledStatus
from godwit.storage.feeds import windowed
from godwit.storage.schema import account_conversations, scheduled_statuses, statuses

S = scheduled_statuses
C = account_conversations


def _scheduled(row: Row[Any]) -> ScheduledStatus:
    return ScheduledStatus(
        id=row.id,
        account_id=row.account_id,
        scheduled_at=row.scheduled_at,
        params=dict(row.params or {}),
        application_id=row.application_id,
    )


def _conversation(row: Row[Any]) -> Conversation:
    return Conversation(
        id=row.id,
        account_id=row.account_id,
        conversation_key=row.conversation_key,
        participant_ids=tuple(int(i) for i in row.participant_ids),
        last_status_id=row.last_status_id,
        unread=bool(row.unread),
    )


def _newest_first(rows: list[Any], page: PageRequest) -> list[Any]:
    return list(reversed(rows)) if page.ascending else rows


class SqlScheduledStatuses:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def create(
        self,
        account_id: int,
        scheduled_at: dt.datetime,
        params: dict[str, Any],
        application_id: int | None,
        now: dt.datetime,
    ) -> ScheduledStatus:
        created = ScheduledStatus(
            id=new_id(),
            account_id=account_id,
            scheduled_at=scheduled_at,
            params=params,
            application_id=application_id,
        )
        await self.conn.execute(
            insert(S).values(
                id=created.id,
                account_id=account_id,
                scheduled_at=scheduled_at,
                params=params,
                application_id=application_id,
                created_at=now,
            )
        )
        return created

    async def get(self, scheduled_id: int) -> ScheduledStatus | None:
        row = (await self.conn.execute(select(S).where(S.c.id == scheduled_id))).first()
        return _scheduled(row) if row is not None else None

    async def page(self, account_id: int, page: PageRequest) -> list[ScheduledStatus]:
        query = windowed(select(S).where(S.c.account_id == account_id), S.c.id, page)
        rows = list(await self.conn.execute(query))
        return [_scheduled(row) for row in _newest_first(rows, page)]

    async def count(self, account_id: int, *, on_day: dt.date | None = None) -> int:
        query = select(func.count()).select_from(S).where(S.c.account_id == account_id)
        if on_day is not None:
            start = dt.datetime.combine(on_day, dt.time(), tzinfo=dt.UTC)
            query = query.where(
                S.c.scheduled_at >= start, S.c.scheduled_at < start + dt.timedelta(days=1)
            )
        return int((await self.conn.execute(query)).scalar_one())

    async def reschedule(self, scheduled_id: int, scheduled_at: dt.datetime) -> None:
        await self.conn.execute(
            update(S).where(S.c.id == scheduled_id).values(scheduled_at=scheduled_at)
        )

    async def delete(self, scheduled_id: int) -> bool:
        result = await self.conn.execute(delete(S).where(S.c.id == scheduled_id))
        return bool(result.rowcount)


class SqlConversations:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def record(
        self,
        account_id: int,
        conversation_key: int,
        participant_ids: Sequence[int],
        status_id: int,
        *,
        unread: bool,
    ) -> int:
        row = (
            await self.conn.execute(
                select(C)
                .where(C.c.account_id == account_id, C.c.conversation_key == conversation_key)
                .with_for_update()
            )
        ).first()
        if row is None:
            conversation_id = new_id()
            await self.conn.execute(
                insert(C).values(
                    id=conversation_id,
                    account_id=account_id,
                    conversation_key=conversation_key,
                    participant_ids=sorted(set(participant_ids)),
                    last_status_id=status_id,
                    unread=unread,
                )
            )
            return conversation_id
        merged = sorted({*row.participant_ids, *participant_ids})
        newer = status_id > row.last_status_id
        await self.conn.execute(
            update(C)
            .where(C.c.id == row.id)
            .values(
                participant_ids=merged,
                last_status_id=status_id if newer else row.last_status_id,
                unread=(unread or bool(row.unread)) if newer else bool(row.unread),
            )
        )
        return int(row.id)

    async def get(self, conversation_id: int, account_id: int) -> Conversation | None:
        row = (
            await self.conn.execute(
                select(C).where(C.c.id == conversation_id, C.c.account_id == account_id)
            )
        ).first()
        return _conversation(row) if row is not None else None

    async def page(self, account_id: int, page: PageRequest) -> list[Conversation]:
        query = windowed(select(C).where(C.c.account_id == account_id), C.c.last_status_id, page)
        rows = list(await self.conn.execute(query))
        return [_conversation(row) for row in _newest_first(rows, page)]

    async def mark_read(self, conversation_id: int, account_id: int) -> None:
        await self.conn.execute(
            update(C)
            .where(C.c.id == conversation_id, C.c.account_id == account_id)
            .values(unread=False)
        )

    async def delete(self, conversation_id: int, account_id: int) -> bool:
        result = await self.conn.execute(
            delete(C).where(C.c.id == conversation_id, C.c.account_id == account_id)
        )
        return bool(result.rowcount)

    async def thread_key(self, status_id: int) -> int | None:
        row = (
            await self.conn.execute(
                select(func.coalesce(statuses.c.conversation_id, statuses.c.id)).where(
                    statuses.c.id == status_id
                )
            )
        ).first()
        return int(row[0]) if row is not None else None
