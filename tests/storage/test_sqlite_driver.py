"""SQLite statements through SQLAlchemy take one trip each to the connection's thread."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.storage.database import Database
from godwit.storage.sqlite_driver import OneTripConnection


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'godwit.sqlite3'}")
    async with database.write() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT UNIQUE)"))
    yield database
    await database.dispose()


async def _driver(conn: AsyncConnection) -> Any:
    return (await conn.get_raw_connection()).driver_connection


def _count_trips(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    trips: list[object] = []
    original = OneTripConnection._execute

    async def counted(self: OneTripConnection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(fn)
        return await original(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(OneTripConnection, "_execute", counted)
    return trips


async def test_reads_and_writes_use_one_trip_connections(database: Database) -> None:
    async with database.write() as conn:
        assert isinstance(await _driver(conn), OneTripConnection)
    async with database.read() as conn:
        assert isinstance(await _driver(conn), OneTripConnection)


async def test_each_statement_is_one_trip_with_all_its_rows(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database.write() as conn:
        await conn.execute(
            text("INSERT INTO t (x) VALUES (:x)"), [{"x": f"row {n}"} for n in range(50)]
        )
    trips = _count_trips(monkeypatch)
    async with database.read() as conn:
        before = len(trips)
        rows = (await conn.execute(text("SELECT id, x FROM t ORDER BY id"))).all()
        assert len(trips) - before == 1
        before = len(trips)
        single = (await conn.execute(text("SELECT x FROM t WHERE id = :id"), {"id": 7})).one()
        assert len(trips) - before == 1
    assert [row.x for row in rows] == [f"row {n}" for n in range(50)]
    assert single.x == "row 6"


async def test_writes_report_row_counts_and_new_ids(database: Database) -> None:
    async with database.write() as conn:
        inserted = await conn.execute(text("INSERT INTO t (x) VALUES ('a')"))
        assert inserted.lastrowid == 1
        many = await conn.execute(
            text("INSERT INTO t (x) VALUES (:x)"), [{"x": "b"}, {"x": "c"}, {"x": "d"}]
        )
        assert many.rowcount == 3
        updated = await conn.execute(text("UPDATE t SET x = x || '!' WHERE x != 'a'"))
        assert updated.rowcount == 3
        streamed = await conn.stream(text("SELECT x FROM t ORDER BY id"))
        assert [row.x async for row in streamed] == ["a", "b!", "c!", "d!"]


async def test_a_failing_statement_raises_and_rolls_back_its_transaction(
    database: Database,
) -> None:
    async with database.write() as conn:
        await conn.execute(text("INSERT INTO t (x) VALUES ('taken')"))

    async def write_both() -> None:
        async with database.write() as conn:
            await conn.execute(text("INSERT INTO t (x) VALUES ('new')"))
            await conn.execute(text("INSERT INTO t (x) VALUES ('taken')"))

    with pytest.raises(IntegrityError):
        await write_both()
    async with database.read() as conn:
        left = (await conn.execute(text("SELECT x FROM t"))).scalars().all()
    assert left == ["taken"]
