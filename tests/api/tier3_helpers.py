"""Shared helpers for the tier-3 API tests (reports, domain blocks, tags, discovery)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from sqlalchemy import insert

from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.storage.schema import accounts, notifications, statuses
from tests.factories import TEST_PUBLIC_KEY, Member


def components_of(client: httpx.AsyncClient) -> Components:
    found: Components = client.app.state.components  # type: ignore[attr-defined]
    return found


async def settle(client: httpx.AsyncClient) -> None:
    """Run every due job (fan-out, tag fan-out, notifications) to the end."""
    await components_of(client).job_runner.run_until_idle()


async def post(client: httpx.AsyncClient, member: Member, text: str, **fields: Any) -> str:
    response = await client.post(
        "/api/v1/statuses", json={"status": text, **fields}, headers=member.headers
    )
    assert response.status_code == 200, response.text
    status_id: str = response.json()["id"]
    return status_id


async def make_remote_account(components: Components, username: str, domain: str) -> int:
    """A remote account row (federation does not exist yet: only tests make these)."""
    now = dt.datetime.now(dt.UTC)
    account_id = new_id()
    async with components.database.write() as conn:
        await conn.execute(
            insert(accounts).values(
                id=account_id,
                username=username,
                username_key=username.casefold(),
                domain=domain,
                display_name=username,
                note="",
                note_source="",
                fields=[],
                uri=f"https://{domain}/users/{username}",
                url=f"https://{domain}/@{username}",
                public_key_pem=TEST_PUBLIC_KEY,
                created_at=now,
                updated_at=now,
            )
        )
    return account_id


async def remote_status(
    components: Components, account_id: int, text: str, *, mention: int | None = None
) -> int:
    """A public status by a remote account, optionally notifying ``mention`` of it."""
    now = dt.datetime.now(dt.UTC)
    status_id = new_id()
    async with components.database.write() as conn:
        await conn.execute(
            insert(statuses).values(
                id=status_id,
                account_id=account_id,
                uri=f"https://remote.example/statuses/{status_id}",
                url=f"https://remote.example/@x/{status_id}",
                local=False,
                text=text,
                content=f"<p>{text}</p>",
                visibility="public",
                created_at=now,
            )
        )
        if mention is not None:
            await conn.execute(
                insert(notifications).values(
                    id=new_id(),
                    account_id=mention,
                    from_account_id=account_id,
                    type="mention",
                    status_id=status_id,
                    created_at=now,
                )
            )
    return status_id
