"""Helpers for the list API tests: making lists, adding members, reading list timelines."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import Member


async def make_list(
    client: httpx.AsyncClient, owner: Member, title: str = "Friends", **fields: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/lists", json={"title": title, **fields}, headers=owner.headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def add_members(
    client: httpx.AsyncClient, owner: Member, list_id: str, *members: Member
) -> httpx.Response:
    return await client.post(
        f"/api/v1/lists/{list_id}/accounts",
        json={"account_ids": [str(member.account_id) for member in members]},
        headers=owner.headers,
    )


async def member_ids(
    client: httpx.AsyncClient, owner: Member, list_id: str, **query: Any
) -> list[str]:
    response = await client.get(
        f"/api/v1/lists/{list_id}/accounts", params=query, headers=owner.headers
    )
    assert response.status_code == 200, response.text
    return [account["id"] for account in response.json()]


async def list_timeline(
    client: httpx.AsyncClient, owner: Member, list_id: str, **query: Any
) -> httpx.Response:
    response = await client.get(
        f"/api/v1/timelines/list/{list_id}", params=query, headers=owner.headers
    )
    assert response.status_code == 200, response.text
    return response


async def list_timeline_ids(
    client: httpx.AsyncClient, owner: Member, list_id: str, **query: Any
) -> list[str]:
    response = await list_timeline(client, owner, list_id, **query)
    return [status["id"] for status in response.json()]
