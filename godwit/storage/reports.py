"""SQL repository for reports (their queue state is read from their moderation_queue item)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.mod_queue import RESOLVED
from godwit.domain.reports import Report
from godwit.storage.schema import moderation_queue, reports

Q = moderation_queue.c


def _report(row: Any) -> Report:
    return Report(
        id=row.id,
        account_id=row.account_id,
        target_account_id=row.target_account_id,
        status_ids=tuple(int(i) for i in row.status_ids or ()),
        rule_ids=tuple(int(i) for i in row.rule_ids or ()),
        category=row.category,
        comment=row.comment,
        forward=bool(row.forward),
        created_at=row.created_at,
        action_taken=row.state == RESOLVED,
        action_taken_at=row.resolved_at if row.state == RESOLVED else None,
    )


def _with_state() -> Select[Any]:
    return select(reports, Q.state, Q.resolved_at).select_from(
        reports.outerjoin(moderation_queue, and_(Q.report_id == reports.c.id))
    )


class SqlReports:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, report: Report) -> None:
        await self.conn.execute(
            insert(reports).values(
                id=report.id,
                account_id=report.account_id,
                target_account_id=report.target_account_id,
                status_ids=list(report.status_ids),
                rule_ids=list(report.rule_ids),
                category=report.category,
                comment=report.comment,
                forward=report.forward,
                created_at=report.created_at,
                updated_at=report.created_at,
            )
        )

    async def get(self, report_id: int) -> Report | None:
        row = (await self.conn.execute(_with_state().where(reports.c.id == report_id))).first()
        return _report(row) if row is not None else None

    async def get_many(self, report_ids: Sequence[int]) -> dict[int, Report]:
        wanted = sorted(set(report_ids))
        if not wanted:
            return {}
        rows = await self.conn.execute(_with_state().where(reports.c.id.in_(wanted)))
        return {row.id: _report(row) for row in rows}
