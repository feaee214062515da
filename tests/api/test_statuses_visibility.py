"""Who sees which status: strangers, followers, mentioned accounts, blocked accounts."""

from __future__ import annotations

import httpx
import pytest

from tests.api.statuses_helpers import block, components_of, follow, post
from tests.factories import Member, make_member


async def _visible(client: httpx.AsyncClient, status_id: str, viewer: Member | None) -> bool:
    headers = viewer.headers if viewer else {}
    response = await client.get(f"/api/v1/statuses/{status_id}", headers=headers)
    assert response.status_code in (200, 404), response.text
    return response.status_code == 200


@pytest.mark.parametrize(
    ("visibility", "anonymous", "stranger", "follower", "mentioned"),
    [
        ("public", True, True, True, True),
        ("unlisted", True, True, True, True),
        ("private", False, False, True, True),
        ("direct", False, False, False, True),
    ],
)
async def test_visibility_matrix(
    client: httpx.AsyncClient,
    visibility: str,
    anonymous: bool,
    stranger: bool,
    follower: bool,
    mentioned: bool,
) -> None:
    components = components_of(client)
    author = await make_member(components, "author")
    carol = await make_member(components, "carol")  # a stranger
    fiona = await make_member(components, "fiona")  # a follower
    mona = await make_member(components, "mona")  # mentioned
    await follow(components, fiona, author)
    entity = await post(client, author, status="hi @mona", visibility=visibility)
    status_id = entity["id"]
    assert await _visible(client, status_id, author)
    assert await _visible(client, status_id, None) is anonymous
    assert await _visible(client, status_id, carol) is stranger
    assert await _visible(client, status_id, fiona) is follower
    assert await _visible(client, status_id, mona) is mentioned


@pytest.mark.parametrize("blocker_is_author", [True, False])
async def test_blocks_hide_statuses_both_ways(
    client: httpx.AsyncClient, blocker_is_author: bool
) -> None:
    components = components_of(client)
    author = await make_member(components, "author")
    reader = await make_member(components, "reader")
    entity = await post(client, author, status="public words")
    if blocker_is_author:
        await block(components, author, reader)
    else:
        await block(components, reader, author)
    assert not await _visible(client, entity["id"], reader)
    assert await _visible(client, entity["id"], None)


async def test_reply_to_hidden_status_is_not_found(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    author = await make_member(components, "author")
    stranger = await make_member(components, "stranger")
    private = await post(client, author, status="followers only", visibility="private")
    response = await client.post(
        "/api/v1/statuses",
        json={"status": "sneaky reply", "in_reply_to_id": private["id"]},
        headers=stranger.headers,
    )
    assert response.status_code == 404


async def test_token_without_read_scope_is_refused(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    author = await make_member(components, "author")
    writer = await make_member(components, "writer", scopes="write")
    entity = await post(client, author, status="hello")
    response = await client.get(f"/api/v1/statuses/{entity['id']}", headers=writer.headers)
    assert response.status_code == 403
    bad = await client.get(
        f"/api/v1/statuses/{entity['id']}", headers={"Authorization": "Bearer nope"}
    )
    assert bad.status_code == 401


async def test_posting_needs_write_scope(client: httpx.AsyncClient) -> None:
    reader = await make_member(components_of(client), "reader", scopes="read")
    response = await client.post(
        "/api/v1/statuses", json={"status": "hello"}, headers=reader.headers
    )
    assert response.status_code == 403
    anonymous = await client.post("/api/v1/statuses", json={"status": "hello"})
    assert anonymous.status_code == 401
