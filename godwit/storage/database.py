"""Engines for SQLite and PostgreSQL, and the read/write transaction boundaries.

SQLite runs in WAL mode with a busy timeout and a single writer: every write transaction
in a process goes through one connection behind an asyncio lock and starts with
``BEGIN IMMEDIATE`` (datasette's write-thread idea), so writers queue instead of failing
with "database is locked"; readers use a pool of their own and never block on writers.
PostgreSQL uses asyncpg with a connection pool; writes and reads share it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from godwit.domain.errors import Unavailable
from godwit.storage.sqlite_driver import OneTripConnection, connector

SQLITE_BUSY_TIMEOUT_MS = 10_000
# What the WAL file is cut back to after a checkpoint has emptied it. Without a limit it
# keeps its largest size: 3.3 GB beside a 3.4 GB database after the 20k benchmark tier
# was loaded (docs/performance.md).
SQLITE_WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024
# When every pooled connection stayed busy for the pool's timeout, the request is answered
# 503 with this Retry-After instead of failing as a server error.
BUSY_RETRY_AFTER_SECONDS = 5


def async_url(database_url: str) -> str:
    """Map the operator-facing URL onto the async driver SQLAlchemy should use."""
    url = make_url(database_url)
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        return str(url.set(drivername="sqlite+aiosqlite"))
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg"):
        return url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    return url.render_as_string(hide_password=False)


def _prepare_sqlite(engine: AsyncEngine, *, immediate: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit transactions defer locking).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # WAL is stored in the file: switch only when needed, because the switch takes an
        # exclusive lock that ignores busy_timeout and fails while other connections are open.
        cursor.execute("PRAGMA journal_mode")
        if str(cursor.fetchone()[0]).lower() != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA journal_size_limit={SQLITE_WAL_SIZE_LIMIT_BYTES}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """Owns the engines; hands out read and write connections inside transactions."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.is_sqlite = database_url.startswith("sqlite")
        target = async_url(database_url)
        if self.is_sqlite:
            ensure_sqlite_dir(database_url)
            # One pooled connection, kept open: the lock in ``write`` lets one transaction
            # use it at a time. Opening a connection per transaction (its thread, the file,
            # the PRAGMAs) cost about 3 ms of CPU and 6 ms of wall time per write.
            connect = sqlite_connector(target)
            self._write_engine = create_async_engine(
                target, pool_size=1, max_overflow=0, async_creator=connect
            )
            self._read_engine = create_async_engine(
                target, pool_size=4, max_overflow=4, async_creator=connect
            )
            _prepare_sqlite(self._write_engine, immediate=True)
            _prepare_sqlite(self._read_engine, immediate=False)
            self._write_lock: asyncio.Lock | None = asyncio.Lock()
        else:
            self._write_engine = create_async_engine(
                target, pool_size=10, max_overflow=10, pool_pre_ping=True
            )
            self._read_engine = self._write_engine
            self._write_lock = None

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction: commits on success, rolls back on any exception."""
        with _busy_as_unavailable():
            if self._write_lock is None:
                async with self._write_engine.begin() as conn:
                    yield conn
                return
            async with self._write_lock, self._write_engine.begin() as conn:
                yield conn

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A read-only transaction with a consistent snapshot."""
        with _busy_as_unavailable():
            async with self._read_engine.begin() as conn:
                yield conn

    async def refresh_statistics(self) -> None:
        """Refresh PostgreSQL's planner statistics after a bulk write. Until autovacuum
        analyses the new rows (or never, where it is off) the planner takes its tables
        for nearly empty and picks plans that read every row. SQLite keeps no statistics
        unless asked (``ANALYZE``), so there is nothing stale to refresh."""
        if self.is_sqlite:
            return
        async with self._write_engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()

    async def dispose(self) -> None:
        await self._write_engine.dispose()
        if self._read_engine is not self._write_engine:
            await self._read_engine.dispose()


@contextmanager
def _busy_as_unavailable() -> Iterator[None]:
    try:
        yield
    except PoolTimeout as error:
        raise Unavailable(BUSY_RETRY_AFTER_SECONDS) from error


def sqlite_connector(database_url: str) -> Callable[[], Awaitable[OneTripConnection]]:
    """Connections to the URL's file that take one thread trip per statement."""
    url = make_url(database_url)
    uri = str(url.query.get("uri", "")).lower() in ("true", "1")
    return connector(url.database or ":memory:", uri=uri)


def ensure_sqlite_dir(database_url: str) -> None:
    database = make_url(database_url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
