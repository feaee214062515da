"""SQL repository for statuses."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection


class SqlStatuses:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
