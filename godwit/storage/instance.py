"""SQL repository for instance."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection


class SqlInstance:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
