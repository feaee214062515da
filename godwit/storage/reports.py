"""SQL repository for reports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.reports import Report
from godwit.storage.schema import reports


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
        action_taken=bool(row.action_taken),
        action_taken_at=row.action_taken_at,
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
                action_taken=report.action_taken,
                action_taken_at=report.action_taken_at,
            )
        )

    async def get(self, report_id: int) -> Report | None:
        row = (await self.conn.execute(select(reports).where(reports.c.id == report_id))).first()
        return _report(row) if row is not None else None
