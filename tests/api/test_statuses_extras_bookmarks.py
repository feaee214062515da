"""Bookmarks, GET /api/v1/bookmarks and GET /api/v1/favourites."""

from __future__ import annotations

import asyncio
import re

import httpx

from godwit.storage.schema import status_bookmarks
from tests.api.statuses_helpers import block, components_of, post, row_count
from tests.factories import Member, make_member


def _next_link(response: httpx.Response) -> str:
    found = re.search(r"<([^>]+)>; rel=\"next\"", response.headers.get("link", ""))
    assert found is not None, response.headers
    return found.group(1)


async def _listed(client: httpx.AsyncClient, path: str, member: Member) -> list[str]:
    response = await client.get(path, headers=member.headers)
    assert response.status_code == 200, response.text
    return [status["id"] for status in response.json()]


async def test_bookmark_and_unbookmark(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="worth keeping")

    marked = await client.post(f"/api/v1/statuses/{status['id']}/bookmark", headers=bob.headers)
    assert marked.status_code == 200, marked.text
    assert marked.json()["bookmarked"] is True
    again = await client.post(f"/api/v1/statuses/{status['id']}/bookmark", headers=bob.headers)
    assert again.status_code == 200
    assert await row_count(components, status_bookmarks, account_id=bob.account_id) == 1
    shown = await client.get(f"/api/v1/statuses/{status['id']}", headers=bob.headers)
    assert shown.json()["bookmarked"] is True
    for_alice = await client.get(f"/api/v1/statuses/{status['id']}", headers=alice.headers)
    assert for_alice.json()["bookmarked"] is False
    assert await _listed(client, "/api/v1/bookmarks", bob) == [status["id"]]

    unmarked = await client.post(f"/api/v1/statuses/{status['id']}/unbookmark", headers=bob.headers)
    assert unmarked.status_code == 200
    assert unmarked.json()["bookmarked"] is False
    assert await _listed(client, "/api/v1/bookmarks", bob) == []


async def test_bookmarking_a_reblog_bookmarks_the_original(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="original")
    reblog = await client.post(f"/api/v1/statuses/{status['id']}/reblog", headers=alice.headers)
    marked = await client.post(
        f"/api/v1/statuses/{reblog.json()['id']}/bookmark", headers=bob.headers
    )
    assert marked.status_code == 200
    assert marked.json()["id"] == status["id"]
    assert await _listed(client, "/api/v1/bookmarks", bob) == [status["id"]]


async def test_cannot_bookmark_what_one_cannot_see(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    private = await post(client, alice, status="followers only", visibility="private")
    refused = await client.post(f"/api/v1/statuses/{private['id']}/bookmark", headers=bob.headers)
    assert refused.status_code == 404
    assert await row_count(components, status_bookmarks, account_id=bob.account_id) == 0
    anonymous = await client.post(f"/api/v1/statuses/{private['id']}/bookmark")
    assert anonymous.status_code == 401


async def test_bookmarks_drop_statuses_no_longer_visible(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="soon hidden")
    await client.post(f"/api/v1/statuses/{status['id']}/bookmark", headers=bob.headers)
    await client.post(f"/api/v1/statuses/{status['id']}/favourite", headers=bob.headers)
    await block(components, alice, bob)
    assert await _listed(client, "/api/v1/bookmarks", bob) == []
    assert await _listed(client, "/api/v1/favourites", bob) == []


async def test_deleting_a_status_deletes_its_bookmarks(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="gone soon")
    await client.post(f"/api/v1/statuses/{status['id']}/bookmark", headers=bob.headers)
    deleted = await client.delete(f"/api/v1/statuses/{status['id']}", headers=alice.headers)
    assert deleted.status_code == 200
    assert await row_count(components, status_bookmarks, status_id=int(status["id"])) == 0


async def _paginates(client: httpx.AsyncClient, path: str, action: str) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    posted = [await post(client, alice, status=f"post {n}") for n in range(3)]
    # Marked newest-post-first, so the list (newest mark first) is in posting order.
    for status in reversed(posted):
        marked = await client.post(f"/api/v1/statuses/{status['id']}/{action}", headers=bob.headers)
        assert marked.status_code == 200
        await asyncio.sleep(0.003)  # row ids made in one millisecond are not ordered
    expected = [status["id"] for status in posted]

    first = await client.get(path, params={"limit": "2"}, headers=bob.headers)
    assert first.status_code == 200
    assert [status["id"] for status in first.json()] == expected[:2]
    second = await client.get(_next_link(first), headers=bob.headers)
    assert [status["id"] for status in second.json()] == expected[2:]
    prev = re.search(r"<([^>]+)>; rel=\"prev\"", second.headers["link"])
    assert prev is not None
    back = await client.get(prev.group(1), headers=bob.headers)
    assert [status["id"] for status in back.json()] == expected[:2]
    assert await _listed(client, path, alice) == []


async def test_bookmarks_paginate_with_link(client: httpx.AsyncClient) -> None:
    await _paginates(client, "/api/v1/bookmarks", "bookmark")


async def test_favourites_paginate_with_link(client: httpx.AsyncClient) -> None:
    await _paginates(client, "/api/v1/favourites", "favourite")


async def test_lists_need_their_scope(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    reader = await make_member(components, "reader", scopes="read:statuses")
    for path in ("/api/v1/bookmarks", "/api/v1/favourites"):
        response = await client.get(path, headers=reader.headers)
        assert response.status_code == 403, path
