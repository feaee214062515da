"""Notifications made by real actions through the API: mention, follow, favourite, reblog,
follow request and the new-post bell; undoing an action withdraws its notification."""

from __future__ import annotations

import asyncio

import httpx

from godwit.app import Components
from tests.factories import Member, make_member


def _components(client: httpx.AsyncClient) -> Components:
    return client.app.state.components  # type: ignore[attr-defined,no-any-return]


async def _types(client: httpx.AsyncClient, member: Member) -> list[str]:
    response = await client.get("/api/v1/notifications", headers=member.headers)
    assert response.status_code == 200
    return [item["type"] for item in response.json()]


async def _eventually(client: httpx.AsyncClient, member: Member, expected: list[str]) -> None:
    """The status.notify job runs in process, shortly after the post commits."""
    found: list[str] = []
    for _ in range(100):
        found = await _types(client, member)
        if found == expected:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {expected}, found {found}")


async def test_the_core_loop_notifies(client: httpx.AsyncClient) -> None:
    components = _components(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")

    followed = await client.post(
        f"/api/v1/accounts/{alice.account_id}/follow",
        data={"notify": "true"},
        headers=bob.headers,
    )
    assert followed.status_code == 200
    assert await _types(client, alice) == ["follow"]

    posted = await client.post(
        "/api/v1/statuses", data={"status": "hello @bob"}, headers=alice.headers
    )
    assert posted.status_code == 200
    status_id = posted.json()["id"]
    await _eventually(client, bob, ["mention"])
    [mention] = (await client.get("/api/v1/notifications", headers=bob.headers)).json()
    assert mention["status"]["id"] == status_id

    plain = await client.post("/api/v1/statuses", data={"status": "news"}, headers=alice.headers)
    await _eventually(client, bob, ["status", "mention"])
    assert plain.status_code == 200

    await client.post(f"/api/v1/statuses/{status_id}/favourite", headers=bob.headers)
    await client.post(f"/api/v1/statuses/{status_id}/reblog", headers=bob.headers)
    assert await _types(client, alice) == ["reblog", "favourite", "follow"]

    await client.post(f"/api/v1/statuses/{status_id}/unfavourite", headers=bob.headers)
    await client.post(f"/api/v1/statuses/{status_id}/unreblog", headers=bob.headers)
    assert await _types(client, alice) == ["follow"]

    # Deleting the status takes its notifications with it.
    deleted = await client.delete(f"/api/v1/statuses/{status_id}", headers=alice.headers)
    assert deleted.status_code == 200
    assert await _types(client, bob) == ["status"]


async def test_a_follow_request_notification_goes_once_answered(
    client: httpx.AsyncClient,
) -> None:
    components = _components(client)
    locked = await make_member(components, "locked", locked=True)
    fan = await make_member(components, "fan")
    await client.post(f"/api/v1/accounts/{locked.account_id}/follow", headers=fan.headers)
    assert await _types(client, locked) == ["follow_request"]
    authorized = await client.post(
        f"/api/v1/follow_requests/{fan.account_id}/authorize", headers=locked.headers
    )
    assert authorized.status_code == 200
    # As in Mastodon, the request's notification goes when it is answered.
    assert await _types(client, locked) == []


async def test_blocking_removes_notifications_between_the_two(client: httpx.AsyncClient) -> None:
    components = _components(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await client.post(f"/api/v1/accounts/{alice.account_id}/follow", headers=bob.headers)
    assert await _types(client, alice) == ["follow"]
    await client.post(f"/api/v1/accounts/{bob.account_id}/block", headers=alice.headers)
    await client.post(f"/api/v1/accounts/{bob.account_id}/unblock", headers=alice.headers)
    assert await _types(client, alice) == []
