"""SQLite's write path: one kept connection behind a lock, transactions that roll back."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.storage import database as database_module
from godwit.storage.database import Database


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
