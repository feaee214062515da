"""Relationships in bulk and paginated account lists (followers, following)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from godwit.app import Components
from godwit.config import Settings
from tests.api.graph_helpers import components_of
from tests.factories import Member, make_member


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """No in-process job runner here: its polling would be counted with the request's queries."""
    return dataclasses.replace(settings, run_jobs_in_process=False)


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Every SQL statement any engine runs inside the block."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)


async def _crowd(components: Components, prefix: str, size: int) -> list[Member]:
    return [await make_member(components, f"{prefix}{index}") for index in range(size)]


async def test_relationships_for_many_ids_in_a_bounded_number_of_queries(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    me = await make_member(components, "me")
    others = await _crowd(components, "other", 30)
    graph = components.services.graph
    await graph.follow(me.account_id, others[0].account_id)
    await graph.follow(others[1].account_id, me.account_id)
    await graph.block(me.account_id, others[2].account_id)
    await graph.mute(me.account_id, others[3].account_id)

    async def ask(ids: list[str]) -> tuple[list[dict[str, Any]], int]:
        with counting_queries() as statements:
            response = await client.get(
                "/api/v1/accounts/relationships", params={"id[]": ids}, headers=me.headers
            )
        assert response.status_code == 200, response.text
        return response.json(), len(statements)

    await ask([str(others[0].account_id)])  # warm up: first-use work is not per id
    few, few_queries = await ask([str(others[0].account_id)])
    ids = [str(member.account_id) for member in others]
    many, many_queries = await ask([*ids, "12345", "not-an-id", ids[0]])
    assert few_queries > 0
    assert many_queries == few_queries
    assert few[0]["following"] is True
    assert [rel["id"] for rel in many] == ids  # asked order, unknown ids skipped, no repeat
    by_id = {rel["id"]: rel for rel in many}
    assert by_id[ids[1]]["followed_by"] is True
    assert by_id[ids[2]]["blocking"] is True
    assert by_id[ids[3]]["muting"] is True
    assert by_id[ids[3]]["muting_notifications"] is True
    assert not any(rel["following"] for rel in many[1:])

    single = await client.get(
        "/api/v1/accounts/relationships",
        params={"id": str(others[0].account_id)},
        headers=me.headers,
    )
    assert [rel["id"] for rel in single.json()] == [ids[0]]
    assert (await client.get("/api/v1/accounts/relationships", headers=me.headers)).json() == []
    assert (await client.get("/api/v1/accounts/relationships")).status_code == 401
    objects = await client.get(
        "/api/v1/accounts/relationships", params={"id[][x]": "1"}, headers=me.headers
    )
    assert objects.status_code == 422


async def test_followers_paginate_through_link_headers_without_gap_or_duplicate(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    star = await make_member(components, "star")
    fans = await _crowd(components, "fan", 45)
    for fan in fans:
        await components.services.graph.follow(fan.account_id, star.account_id)

    seen: list[str] = []
    pages = 0
    url: str | None = f"/api/v1/accounts/{star.account_id}/followers?limit=20"
    first_page: httpx.Response | None = None
    while url is not None:
        response = await client.get(url)  # no token needed
        assert response.status_code == 200, response.text
        first_page = first_page or response
        body = response.json()
        if not body:
            assert "link" not in response.headers
            break
        pages += 1
        assert len(body) <= 20
        seen.extend(account["id"] for account in body)
        url = response.links["next"]["url"]
        assert "limit=20" in url
    assert pages == 3
    assert len(seen) == 45
    assert set(seen) == {str(fan.account_id) for fan in fans}

    # The prev link of the second page leads back to the first page exactly.
    assert first_page is not None
    second = await client.get(first_page.links["next"]["url"])
    back = await client.get(second.links["prev"]["url"])
    assert [account["id"] for account in back.json()] == seen[:20]

    following = await client.get(f"/api/v1/accounts/{fans[0].account_id}/following")
    assert [account["id"] for account in following.json()] == [str(star.account_id)]
    assert following.json()[0]["followers_count"] == 45


async def test_account_lists_refuse_bad_input(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    star = await make_member(components, "star")
    for bad in ("abc", "0", "123456789"):
        response = await client.get(f"/api/v1/accounts/{bad}/followers")
        assert response.status_code == 404, bad
    for query in ("limit=many", "max_id=abc"):
        response = await client.get(f"/api/v1/accounts/{star.account_id}/following?{query}")
        assert response.status_code == 422, query
    huge = await client.get(f"/api/v1/accounts/{star.account_id}/followers?limit=100000")
    assert huge.status_code == 200
    bad_token = await client.get(
        f"/api/v1/accounts/{star.account_id}/followers",
        headers={"Authorization": "Bearer nope"},
    )
    assert bad_token.status_code == 401
