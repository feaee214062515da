"""SQLite connections whose statements each take one trip to the connection's thread.

aiosqlite runs every call on a sqlite3 connection in that connection's own thread, and
SQLAlchemy's adapter makes four such calls per statement: make a cursor, execute, fetch
all, close. Each trip costs the event loop a wake-up: about 110 us of its CPU and 320 us of
wall time for a statement whose SQL takes 15 us, so a home page of ten statements spent
more on the trips than on SQLite. ``OneTripConnection`` keeps aiosqlite's thread and queue
and changes only its cursors: a statement is made, run, fetched and closed in one call,
about 22 us of event-loop CPU and 90 us of wall time (ADR 0025).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import partial
from typing import Any

import aiosqlite

_Row = tuple[Any, ...]
_Outcome = tuple[Any, list[_Row], int, int | None]


def _run(connection: sqlite3.Connection, many: bool, sql: str, parameters: Any) -> _Outcome:
    """On the connection's thread: the statement's description, all its rows, its row count
    and last row id."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class PrefetchedCursor:
    """The part of aiosqlite's cursor that SQLAlchemy's adapter uses, with a statement's
    rows fetched in the same trip that ran it."""

    arraysize = 1

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self._rows: list[_Row] = []
        self._taken = 0  # how many of ``_rows`` the fetches have handed out
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    async def __aenter__(self) -> PrefetchedCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def execute(self, sql: str, parameters: Any = ()) -> PrefetchedCursor:
        await self._trip(False, sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> PrefetchedCursor:
        await self._trip(True, sql, parameters)
        return self

    async def _trip(self, many: bool, sql: str, parameters: Any) -> None:
        outcome = await self._connection.run_on_thread(
            partial(_run, self._connection.sqlite_connection, many, sql, parameters)
        )
        self.description, self._rows, self.rowcount, self.lastrowid = outcome
        self._taken = 0

    def _take(self, count: int) -> list[_Row]:
        start = self._taken
        self._taken = min(start + count, len(self._rows))
        # The whole list when nothing was taken yet: SQLAlchemy fetches all of most results.
        if start == 0 and self._taken == len(self._rows):
            return self._rows
        return self._rows[start : self._taken]

    async def fetchone(self) -> _Row | None:
        taken = self._take(1)
        return taken[0] if taken else None

    async def fetchmany(self, size: int | None = None) -> Sequence[_Row]:
        return self._take(self.arraysize if size is None else size)

    async def fetchall(self) -> Sequence[_Row]:
        return self._take(len(self._rows))

    def __aiter__(self) -> PrefetchedCursor:
        return self

    async def __anext__(self) -> _Row:
        row = await self.fetchone()
        if row is None:
            raise StopAsyncIteration
        return row

    async def close(self) -> None:
        self._rows, self._taken = [], 0


class OneTripConnection(aiosqlite.Connection):
    """aiosqlite's connection (its thread, queue, commit, rollback and close) with
    ``PrefetchedCursor`` cursors, which need no trip of their own."""

    def cursor(self) -> PrefetchedCursor:  # type: ignore[override]
        return PrefetchedCursor(self)

    @property
    def sqlite_connection(self) -> sqlite3.Connection:
        return self._conn

    async def run_on_thread(self, function: Callable[[], _Outcome]) -> _Outcome:
        outcome: _Outcome = await self._execute(function)  # type: ignore[no-untyped-call]
        return outcome


def connector(path: str, *, uri: bool = False) -> Callable[[], Awaitable[OneTripConnection]]:
    """An ``async_creator`` for SQLAlchemy: a new ``OneTripConnection`` to ``path``, in
    autocommit mode (the engine issues ``BEGIN`` itself)."""

    async def connect() -> OneTripConnection:
        def open_file() -> sqlite3.Connection:
            return sqlite3.connect(path, uri=uri, isolation_level=None)

        connection = OneTripConnection(open_file, iter_chunk_size=64)
        # Like SQLAlchemy's own aiosqlite dialect: a forgotten connection must not keep
        # the process alive at exit.
        connection._thread.daemon = True
        await connection
        return connection

    return connect
