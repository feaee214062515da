"""The audit log is append-only on both databases: the repository can only add and read,
and the database itself refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from godwit.app import Components
from godwit.domain.audit import AuditEntry, AuditQuery
from godwit.domain.ids import IdGenerator
from godwit.domain.pagination import PageRequest
from godwit.storage.audit import SqlAuditLog
from godwit.storage.schema import audit_log
from tests.databases import on_postgres

_BASE = IdGenerator.lower_bound_for(int(dt.datetime.now(dt.UTC).timestamp() * 1000))
_SERIAL = iter(range(1, 10_000))


def _entry(action: str = "account.warn", target_account_id: int | None = 7) -> AuditEntry:
    return AuditEntry(
        id=_BASE + next(_SERIAL),  # increasing, as the service makes them
        created_at=dt.datetime.now(dt.UTC),
        actor_account_id=1,
        actor_name="@mona",
        action=action,
        target_type="account",
        target_id=target_account_id,
        target_account_id=target_account_id,
        target_name="@troll",
        reason="be kind",
        details={"notified": True},
    )


async def _rows(components: Components) -> list[tuple[str, str]]:
    async with components.database.read() as conn:
        rows = await conn.execute(select(audit_log.c.action, audit_log.c.reason))
        return [(row.action, row.reason) for row in rows]


async def test_entries_are_added_and_read_back_newest_first(components: Components) -> None:
    first, second, third = _entry(), _entry("account.suspend"), _entry("status.delete", 8)
    async with components.store.write() as tx:
        for entry in (first, second, third):
            await tx.audit_log.append(entry)
    async with components.store.read() as tx:
        everything = await tx.audit_log.page(AuditQuery(), PageRequest(limit=10))
        accounts_only = await tx.audit_log.page(
            AuditQuery(action="account."), PageRequest(limit=10)
        )
        about_8 = await tx.audit_log.page(AuditQuery(target_account_id=8), PageRequest(limit=10))
        older = await tx.audit_log.page(AuditQuery(), PageRequest(limit=10, max_id=third.id))
        newer = await tx.audit_log.page(AuditQuery(), PageRequest(limit=1, min_id=first.id))
    assert everything == [third, second, first]
    assert accounts_only == [second, first]
    assert about_8 == [third]
    assert older == [second, first]
    assert newer == [second]


def test_the_repository_has_no_way_to_change_an_entry() -> None:
    public = {name for name in dir(SqlAuditLog) if not name.startswith("_")}
    assert public == {"append", "page"}


async def test_the_database_refuses_update_and_delete(components: Components) -> None:
    async with components.store.write() as tx:
        await tx.audit_log.append(_entry())
    with pytest.raises(DBAPIError, match="append-only"):
        async with components.database.write() as conn:
            await conn.execute(update(audit_log).values(reason="nothing happened"))
    with pytest.raises(DBAPIError, match="append-only"):
        async with components.database.write() as conn:
            await conn.execute(delete(audit_log))
    with pytest.raises(DBAPIError, match="append-only"):  # raw SQL too
        async with components.database.write() as conn:
            await conn.execute(text("UPDATE audit_log SET actor_name = 'someone else'"))
    if on_postgres():
        with pytest.raises(DBAPIError, match="append-only"):
            async with components.database.write() as conn:
                await conn.execute(text("TRUNCATE audit_log"))
    assert await _rows(components) == [("account.warn", "be kind")]
    async with components.database.read() as conn:
        assert await conn.scalar(select(func.count()).select_from(audit_log)) == 1


async def test_a_refused_change_rolls_back_its_whole_transaction(components: Components) -> None:
    """An attempt to rewrite history inside a write takes the write down with it."""

    async def write_then_rewrite() -> None:
        async with components.store.write() as tx:
            await tx.audit_log.append(_entry("account.limit"))
            await tx.audit_log.append(_entry("account.warn"))
            await tx.conn.execute(delete(audit_log).where(audit_log.c.action == "account.warn"))

    with pytest.raises(DBAPIError):
        await write_then_rewrite()
    assert await _rows(components) == []
