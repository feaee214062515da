"""SQL repository for notifications."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection


class SqlNotifications:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
