"""Bad input never answers 500 and never writes anything."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from godwit.storage.schema import jobs, statuses
from tests.api.statuses_helpers import components_of, post, row_count
from tests.factories import make_member


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"status": ""}, 422),
        ({"status": "   \n "}, 422),
        ({}, 422),
        ({"status": ["a", "list"]}, 422),
        ({"status": {"an": "object"}}, 422),
        ({"status": "hi", "visibility": "everyone"}, 422),
        ({"status": "hi", "visibility": 7}, 422),
        ({"status": "hi", "sensitive": "maybe"}, 422),
        ({"status": "hi", "language": "not a language"}, 422),
        ({"status": "hi", "in_reply_to_id": "abc"}, 422),
        ({"status": "hi", "in_reply_to_id": "123456789"}, 404),
        ({"status": "hi", "media_ids": ["1"]}, 422),
        ({"status": "hi", "scheduled_at": "2020-01-01T00:00:00Z"}, 422),  # in the past
        ({"status": "hi", "scheduled_at": "not a date"}, 422),
        ({"status": "hi", "poll": {"options": ["only one"], "expires_in": 300}}, 422),
        ({"status": "hi", "poll": {"options": ["a", "b"], "expires_in": 10}}, 422),
        ({"status": "hi", "poll": {"options": ["a", "b"]}}, 422),
        ({"status": "hi", "quoted_status_id": "123"}, 422),
        ({"status": "nul \u0000 byte"}, 422),
    ],
)
async def test_bad_json_fields(
    client: httpx.AsyncClient, body: dict[str, Any], expected: int
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    response = await client.post("/api/v1/statuses", json=body, headers=alice.headers)
    assert response.status_code == expected, response.text
    assert "error" in response.json()
    assert await row_count(components, statuses) == 0
    assert await row_count(components, jobs) == 0


async def test_malformed_json_and_huge_body(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    headers = {**alice.headers, "Content-Type": "application/json"}
    broken = await client.post("/api/v1/statuses", content=b'{"status": "x', headers=headers)
    assert broken.status_code == 400
    huge = await client.post(
        "/api/v1/statuses",
        json={"status": "x" * 200_000},
        headers=alice.headers,
    )
    assert huge.status_code in (413, 422)
    assert await row_count(components, statuses) == 0


async def test_huge_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    limit = components.settings.max_body_bytes
    response = await client.post(
        "/api/v1/statuses", json={"status": "x" * (limit + 1)}, headers=alice.headers
    )
    assert response.status_code == 413
    assert await row_count(components, statuses) == 0


async def test_unknown_and_malformed_ids(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    entity = await post(client, alice, status="exists")
    for path in ("999", "abc", "-1", "1" * 40, str(int(entity["id"]) + 1)):
        for suffix in ("", "/context", "/favourited_by", "/reblogged_by"):
            response = await client.get(f"/api/v1/statuses/{path}{suffix}")
            assert response.status_code == 404, (path, suffix)
        for action in ("favourite", "unfavourite", "reblog", "unreblog"):
            response = await client.post(f"/api/v1/statuses/{path}/{action}", headers=alice.headers)
            assert response.status_code == 404, (path, action)
        deleted = await client.delete(f"/api/v1/statuses/{path}", headers=alice.headers)
        assert deleted.status_code == 404


async def test_bad_pagination_and_filters(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    for query in ({"limit": "many"}, {"max_id": "x"}, {"pinned": "perhaps"}):
        response = await client.get(f"/api/v1/accounts/{alice.account_id}/statuses", params=query)
        assert response.status_code == 422, query
