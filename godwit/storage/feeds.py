"""SQL repository for feeds."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection


class SqlFeeds:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
