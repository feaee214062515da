"""SQL for grouped notifications (API v2): group summaries, unread groups, dismissing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, cast, delete, func, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.notifications import (
    MAX_SAMPLE_ACCOUNTS,
    UNGROUPED_PREFIX,
    GroupSummary,
    NotificationFilter,
)
from godwit.storage.notifications import N, filtered, group_condition
from godwit.storage.schema import notifications


def _grouping_key(grouped_types: frozenset[str]) -> ColumnElement[str]:
    """The SQL twin of Notification.grouping_key."""
    grouped = and_(
        N.type.in_(sorted(grouped_types)), N.filtered.is_(False), N.group_key.is_not(None)
    )
    return case((grouped, N.group_key), else_=literal(UNGROUPED_PREFIX) + cast(N.id, String))


class SqlNotificationGroups:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def summaries(
        self,
        recipient_id: int,
        group_keys: Sequence[str],
        where: NotificationFilter,
        *,
        top_id: int | None = None,
        bottom_id: int | None = None,
    ) -> dict[str, GroupSummary]:
        if not group_keys:
            return {}
        conditions = [
            *filtered(recipient_id, where),
            N.group_key.in_(sorted(set(group_keys))),
            N.filtered.is_(False),
        ]
        if top_id is not None:
            conditions.append(N.id <= top_id)
        page_min = (
            func.min(case((N.id >= bottom_id, N.id))).over(partition_by=N.group_key)
            if bottom_id is not None
            else literal(None)
        )
        ranked = (
            select(
                N.id,
                N.group_key,
                N.from_account_id,
                N.created_at,
                func.row_number()
                .over(partition_by=N.group_key, order_by=N.id.desc())
                .label("rank"),
                func.count().over(partition_by=N.group_key).label("total"),
                page_min.label("page_min"),
            )
            .where(*conditions)
            .subquery()
        )
        query = (
            select(ranked)
            .where(ranked.c.rank <= MAX_SAMPLE_ACCOUNTS)
            .order_by(ranked.c.group_key, ranked.c.rank)
        )
        rows: dict[str, list[Any]] = {}
        for row in await self.conn.execute(query):
            rows.setdefault(row.group_key, []).append(row)
        return {key: _summary(key, ranked_rows) for key, ranked_rows in rows.items()}

    async def count_after(
        self,
        recipient_id: int,
        after_id: int | None,
        limit: int,
        where: NotificationFilter,
        grouped_types: frozenset[str],
    ) -> int:
        conditions = filtered(recipient_id, where)
        if after_id is not None:
            conditions.append(N.id > after_id)
        keyed = select(_grouping_key(grouped_types).label("key")).where(*conditions).subquery()
        groups = select(keyed.c.key).group_by(keyed.c.key).limit(limit).subquery()
        count = await self.conn.scalar(select(func.count()).select_from(groups))
        return int(count or 0)

    async def dismiss(self, recipient_id: int, group_key: str) -> int:
        result = await self.conn.execute(
            delete(notifications).where(N.account_id == recipient_id, group_condition(group_key))
        )
        return int(result.rowcount or 0)


def _summary(group_key: str, rows: list[Any]) -> GroupSummary:
    newest = rows[0]
    samples = tuple(dict.fromkeys(row.from_account_id for row in rows))
    return GroupSummary(
        group_key=group_key,
        notifications_count=int(newest.total),
        most_recent_id=newest.id,
        latest_at=newest.created_at,
        sample_account_ids=samples,
        page_min_id=newest.page_min,
    )
