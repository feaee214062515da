"""SQL repository for the audit log: INSERT and SELECT only (triggers refuse the rest)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.audit import AuditEntry, AuditQuery
from godwit.domain.pagination import PageRequest
from godwit.storage.feeds import windowed
from godwit.storage.schema import audit_log

A = audit_log.c


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        created_at=row.created_at,
        actor_account_id=row.actor_account_id,
        actor_name=row.actor_name,
        action=row.action,
        target_type=row.target_type,
        target_id=row.target_id,
        target_account_id=row.target_account_id,
        target_name=row.target_name,
        reason=row.reason,
        details=dict(row.details or {}),
    )


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class SqlAuditLog:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def append(self, entry: AuditEntry) -> None:
        await self.conn.execute(
            insert(audit_log).values(
                id=entry.id,
                created_at=entry.created_at,
                actor_account_id=entry.actor_account_id,
                actor_name=entry.actor_name,
                action=entry.action,
                target_type=entry.target_type,
                target_id=entry.target_id,
                target_account_id=entry.target_account_id,
                target_name=entry.target_name,
                reason=entry.reason,
                details=entry.details,
            )
        )

    async def page(self, query: AuditQuery, page: PageRequest) -> list[AuditEntry]:
        statement = select(audit_log)
        if query.actor_account_id is not None:
            statement = statement.where(A.actor_account_id == query.actor_account_id)
        if query.target_account_id is not None:
            statement = statement.where(A.target_account_id == query.target_account_id)
        if query.target_type is not None:
            statement = statement.where(A.target_type == query.target_type)
        if query.action is not None:
            if query.action.endswith("."):
                statement = statement.where(A.action.like(_like_prefix(query.action), escape="\\"))
            else:
                statement = statement.where(A.action == query.action)
        rows = [_entry(row) for row in await self.conn.execute(windowed(statement, A.id, page))]
        return list(reversed(rows)) if page.ascending else rows
