"""Shared helpers for the statuses API tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from sqlalchemy import func, insert, select

from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.storage.schema import blocks, follows, mutes
from tests.factories import Member


def components_of(client: httpx.AsyncClient) -> Components:
    found: Components = client.app.state.components  # type: ignore[attr-defined]
    return found


async def post(client: httpx.AsyncClient, member: Member, **fields: Any) -> dict[str, Any]:
    """Post a status (JSON body) and return the entity; fails the test on any error."""
    response = await client.post("/api/v1/statuses", json=fields, headers=member.headers)
    assert response.status_code == 200, response.text
    entity = response.json()
    assert isinstance(entity, dict)
    return entity


async def _edge(components: Components, table: Any, source: Member, target: Member) -> None:
    async with components.database.write() as conn:
        values: dict[str, Any] = {
            "id": new_id(),
            "account_id": source.account_id,
            "target_account_id": target.account_id,
            "created_at": dt.datetime.now(dt.UTC),
        }
        await conn.execute(insert(table).values(**values))


async def follow(components: Components, follower: Member, followed: Member) -> None:
    """A follow row written directly (the graph slice's API has its own tests)."""
    await _edge(components, follows, follower, followed)


async def block(components: Components, blocker: Member, blocked: Member) -> None:
    await _edge(components, blocks, blocker, blocked)


async def mute(components: Components, muter: Member, muted: Member) -> None:
    await _edge(components, mutes, muter, muted)


async def row_count(components: Components, table: Any, **where: Any) -> int:
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    async with components.database.read() as conn:
        return int(await conn.scalar(query) or 0)
