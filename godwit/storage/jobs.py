"""SQL repository for jobs."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection


class SqlJobs:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
