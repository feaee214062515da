"""The SQL unit of work: one connection, one transaction, repositories bound to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.storage.accounts import SqlAccounts
from godwit.storage.database import Database
from godwit.storage.feeds import SqlFeeds
from godwit.storage.graph import SqlGraph
from godwit.storage.instance import SqlInstance
from godwit.storage.jobs import SqlJobs
from godwit.storage.notifications import SqlNotifications
from godwit.storage.oauth import SqlOAuth
from godwit.storage.statuses import SqlStatuses


class SqlTransaction:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    @cached_property
    def accounts(self) -> SqlAccounts:
        return SqlAccounts(self.conn)

    @cached_property
    def oauth(self) -> SqlOAuth:
        return SqlOAuth(self.conn)

    @cached_property
    def statuses(self) -> SqlStatuses:
        return SqlStatuses(self.conn)

    @cached_property
    def graph(self) -> SqlGraph:
        return SqlGraph(self.conn)

    @cached_property
    def feeds(self) -> SqlFeeds:
        return SqlFeeds(self.conn)

    @cached_property
    def notifications(self) -> SqlNotifications:
        return SqlNotifications(self.conn)

    @cached_property
    def jobs(self) -> SqlJobs:
        return SqlJobs(self.conn)

    @cached_property
    def instance(self) -> SqlInstance:
        return SqlInstance(self.conn)


class SqlStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    @asynccontextmanager
    async def read(self) -> AsyncIterator[SqlTransaction]:
        async with self.database.read() as conn:
            yield SqlTransaction(conn)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[SqlTransaction]:
        async with self.database.write() as conn:
            yield SqlTransaction(conn)
