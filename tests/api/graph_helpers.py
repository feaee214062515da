"""Shared helpers for the graph API tests: direct looks at rows the API does not show."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from godwit.app import Components
from godwit.storage.schema import jobs, notifications


def components_of(client: httpx.AsyncClient) -> Components:
    found: Components = client.app.state.components  # type: ignore[attr-defined]
    return found


async def counts(components: Components, account_id: int) -> tuple[int, int]:
    """(followers_count, following_count) as stored on the account."""
    async with components.store.read() as tx:
        account = await tx.accounts.get(account_id)
    assert account is not None
    return account.followers_count, account.following_count


async def notification_count(
    components: Components, *, recipient: int, sender: int, type: str
) -> int:
    async with components.database.read() as conn:
        found = await conn.scalar(
            select(func.count())
            .select_from(notifications)
            .where(
                notifications.c.account_id == recipient,
                notifications.c.from_account_id == sender,
                notifications.c.type == type,
            )
        )
    return int(found or 0)


async def backfill_jobs(components: Components) -> list[dict[str, Any]]:
    async with components.database.read() as conn:
        rows = await conn.execute(select(jobs.c.payload).where(jobs.c.kind == "feed.backfill"))
    return [dict(row.payload) for row in rows]


async def relationship(
    client: httpx.AsyncClient, headers: dict[str, str], account_id: int
) -> dict[str, Any]:
    response = await client.get(
        "/api/v1/accounts/relationships", params={"id[]": str(account_id)}, headers=headers
    )
    assert response.status_code == 200, response.text
    [rel] = response.json()
    assert isinstance(rel, dict)
    return rel
