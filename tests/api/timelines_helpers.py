"""Helpers for the timeline API tests: posting, following, and waiting for fan-out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from sqlalchemy import insert, update

from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.storage.schema import accounts, follows
from tests.factories import Member


def components_of(client: httpx.AsyncClient) -> Components:
    found: Components = client.app.state.components  # type: ignore[attr-defined]
    return found


async def settle(client: httpx.AsyncClient) -> None:
    """Run every due job (fan-out, backfill, notifications) to the end: deterministic."""
    await components_of(client).job_runner.run_until_idle()


async def post(
    client: httpx.AsyncClient, member: Member, text: str, **fields: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/statuses", json={"status": text, **fields}, headers=member.headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def reblog(client: httpx.AsyncClient, member: Member, status_id: str) -> dict[str, Any]:
    response = await client.post(f"/api/v1/statuses/{status_id}/reblog", headers=member.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def follow(client: httpx.AsyncClient, reader: Member, author: Member, **options: Any) -> None:
    response = await client.post(
        f"/api/v1/accounts/{author.account_id}/follow", json=options, headers=reader.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["following"] is True


async def follow_directly(components: Components, reader: Member, author: Member) -> None:
    """A follow row and counts written straight to the database (no backfill job)."""
    async with components.database.write() as conn:
        await conn.execute(
            insert(follows).values(
                id=new_id(),
                account_id=reader.account_id,
                target_account_id=author.account_id,
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == author.account_id)
            .values(followers_count=accounts.c.followers_count + 1)
        )


async def timeline(
    client: httpx.AsyncClient, path: str, member: Member | None = None, **query: Any
) -> httpx.Response:
    headers = member.headers if member else {}
    response = await client.get(path, params=query, headers=headers)
    assert response.status_code == 200, response.text
    return response


async def home_ids(client: httpx.AsyncClient, member: Member, **query: Any) -> list[str]:
    response = await timeline(client, "/api/v1/timelines/home", member, **query)
    return [status["id"] for status in response.json()]
