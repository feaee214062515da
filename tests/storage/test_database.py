"""SQLite's write path: one kept connection behind a lock, transactions that roll back;
busy pools answered as unavailable; planner statistics refreshed after a bulk write."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from godwit.domain.errors import Unavailable
from godwit.storage import database as database_module
from godwit.storage.database import Database
from tests.databases import on_postgres


async def _driver(conn: AsyncConnection) -> Any:
    return (await conn.get_raw_connection()).driver_connection


async def test_sqlite_writes_share_one_kept_connection_and_roll_back_alone(
    tmp_path: Path,
) -> None:
    database = Database(f"sqlite:///{tmp_path / 'godwit.sqlite3'}")
    try:
        async with database.write() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER NOT NULL)"))
            first = await _driver(conn)

        async def failing_write() -> None:
            async with database.write() as conn:
                await conn.execute(text("INSERT INTO t VALUES (1)"))
                raise RuntimeError("fails after writing")

        with pytest.raises(RuntimeError):
            await failing_write()

        async def insert(value: int) -> Any:
            async with database.write() as conn:
                await conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": value})
                await asyncio.sleep(0)  # let the others try to write meanwhile
                return await _driver(conn)

        drivers = await asyncio.gather(*(insert(value) for value in range(2, 12)))
        async with database.read() as conn:
            stored = sorted((await conn.execute(text("SELECT x FROM t"))).scalars())
    finally:
        await database.dispose()
    assert stored == list(range(2, 12))  # the failed transaction left nothing
    # Every write reused the connection opened first (no connection per transaction).
    assert all(driver is first for driver in drivers)


async def test_the_wal_file_shrinks_back_after_a_large_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 256 * 1024
    monkeypatch.setattr(database_module, "SQLITE_WAL_SIZE_LIMIT_BYTES", limit)
    database = Database(f"sqlite:///{tmp_path / 'godwit.sqlite3'}")
    wal = tmp_path / "godwit.sqlite3-wal"
    try:
        async with database.write() as conn:
            await conn.execute(text("CREATE TABLE t (x BLOB)"))
        async with database.write() as conn:  # about 10 MB in one transaction
            await conn.execute(
                text(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 640)"
                    " INSERT INTO t SELECT randomblob(16384) FROM n"
                )
            )
        assert wal.stat().st_size > 8 * 1024 * 1024
        # Its commit checkpointed the WAL; the next write starts it again from the top.
        async with database.write() as conn:
            await conn.execute(text("INSERT INTO t VALUES (x'00')"))
        assert wal.stat().st_size <= limit
    finally:
        await database.dispose()


def _shorten_pool_timeout(engine: AsyncEngine, seconds: float) -> None:
    engine.sync_engine.pool._timeout = seconds  # type: ignore[attr-defined]


async def test_a_read_that_finds_every_connection_busy_is_unavailable(database_url: str) -> None:
    database = Database(database_url)
    read_engine = database._read_engine
    _shorten_pool_timeout(read_engine, 0.2)
    held = read_engine.sync_engine.pool.size() + read_engine.sync_engine.pool._max_overflow  # type: ignore[attr-defined]
    release, all_open = asyncio.Event(), asyncio.Event()
    opened = 0

    async def hold() -> None:
        nonlocal opened
        async with database.read() as conn:
            await conn.execute(text("SELECT 1"))
            opened += 1
            if opened == held:
                all_open.set()
            await release.wait()

    holders = [asyncio.create_task(hold()) for _ in range(held)]
    try:
        await asyncio.wait_for(all_open.wait(), timeout=10)
        with pytest.raises(Unavailable) as raised:
            async with database.read() as conn:
                await conn.execute(text("SELECT 1"))
        assert raised.value.retry_after == database_module.BUSY_RETRY_AFTER_SECONDS
        release.set()
        await asyncio.gather(*holders)
        async with database.read() as conn:  # free again once the others are done
            assert await conn.scalar(text("SELECT 1")) == 1
    finally:
        release.set()
        await asyncio.gather(*holders, return_exceptions=True)
        await database.dispose()


async def test_statistics_are_refreshed_after_a_bulk_write(database_url: str) -> None:
    database = Database(database_url)
    try:
        await database.refresh_statistics()
        async with database.read() as conn:
            if on_postgres():
                analysed = await conn.scalar(
                    text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'statuses'")
                )
                assert analysed is not None
            else:  # SQLite plans without statistics: none were gathered
                found = await conn.scalar(
                    text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
                )
                assert found == 0
    finally:
        await database.dispose()
