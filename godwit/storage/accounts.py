"""SQL repository for accounts."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection


class SqlAccounts:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
