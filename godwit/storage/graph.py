"""SQL repository for graph."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection


class SqlGraph:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
