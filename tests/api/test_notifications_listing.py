"""GET/POST /api/v1/notifications…: listing, filters, pagination, get, dismiss, clear."""

from __future__ import annotations

import httpx

from godwit.app import Components
from tests.factories import Member, make_member
from tests.notifications_support import block, follow, make_status, mute, notify_now


def _components(client: httpx.AsyncClient) -> Components:
    return client.app.state.components  # type: ignore[attr-defined,no-any-return]


async def _members(client: httpx.AsyncClient, *names: str) -> list[Member]:
    return [await make_member(_components(client), name) for name in names]


async def _notify(
    client: httpx.AsyncClient,
    recipient: Member,
    sender: Member,
    type: str,
    status_id: int | None = None,
) -> None:
    await notify_now(
        _components(client),
        recipient_id=recipient.account_id,
        from_account_id=sender.account_id,
        type=type,
        status_id=status_id,
    )


async def test_listing_shows_newest_first_with_accounts_and_statuses(
    client: httpx.AsyncClient,
) -> None:
    alice, bob, carol = await _members(client, "alice", "bob", "carol")
    status_id = await make_status(_components(client), alice.account_id)
    await _notify(client, alice, bob, "follow")
    await _notify(client, alice, carol, "favourite", status_id)

    response = await client.get("/api/v1/notifications", headers=alice.headers)
    assert response.status_code == 200
    favourite, followed = response.json()
    assert favourite["type"] == "favourite"
    assert favourite["account"]["id"] == str(carol.account_id)
    assert favourite["status"]["id"] == str(status_id)
    assert favourite["group_key"] == f"favourite-{status_id}"
    assert followed["type"] == "follow"
    assert followed["account"]["username"] == "bob"
    assert "status" not in followed or followed["status"] is None
    assert followed["group_key"].startswith("follow-")  # follows group by day (API v2)
    assert int(favourite["id"]) > int(followed["id"])


async def test_types_exclude_types_and_account_id_filter(client: httpx.AsyncClient) -> None:
    alice, bob, carol = await _members(client, "alice", "bob", "carol")
    status_id = await make_status(_components(client), alice.account_id)
    await _notify(client, alice, bob, "follow")
    await _notify(client, alice, bob, "favourite", status_id)
    await _notify(client, alice, carol, "reblog", status_id)
    await _notify(client, alice, carol, "mention", status_id)

    async def types(query: str) -> list[str]:
        response = await client.get(f"/api/v1/notifications?{query}", headers=alice.headers)
        assert response.status_code == 200
        return [item["type"] for item in response.json()]

    assert await types("types[]=follow&types[]=reblog") == ["reblog", "follow"]
    assert await types("exclude_types[]=mention&exclude_types[]=follow") == [
        "reblog",
        "favourite",
    ]
    assert await types(f"account_id={carol.account_id}") == ["mention", "reblog"]
    assert await types("types[]=poll") == []
    bad = await client.get("/api/v1/notifications?account_id=nope", headers=alice.headers)
    assert bad.status_code == 422


async def test_pagination_walks_every_notification_once(client: httpx.AsyncClient) -> None:
    alice, *senders = await _members(client, "alice", "s1", "s2", "s3", "s4", "s5")
    for sender in senders:
        await _notify(client, alice, sender, "follow")

    seen: list[str] = []
    url = "/api/v1/notifications?limit=2"
    pages = 0
    while url and pages < 10:
        response = await client.get(url, headers=alice.headers)
        page = response.json()
        if not page:
            break
        seen.extend(item["id"] for item in page)
        assert 'rel="next"' in response.headers["link"]
        url = response.headers["link"].split(";")[0].strip("<>")
        pages += 1
    assert len(seen) == 5
    assert len(set(seen)) == 5
    assert seen == sorted(seen, key=int, reverse=True)

    newest = seen[0]
    newer = await client.get(f"/api/v1/notifications?min_id={seen[2]}", headers=alice.headers)
    assert [item["id"] for item in newer.json()] == seen[:2]
    since = await client.get(
        f"/api/v1/notifications?since_id={seen[3]}&limit=1", headers=alice.headers
    )
    assert [item["id"] for item in since.json()] == [newest]
    assert f"min_id={newest}" in since.headers["link"]


async def test_default_and_maximum_limits(client: httpx.AsyncClient) -> None:
    [alice] = await _members(client, "alice")
    response = await client.get("/api/v1/notifications?limit=500", headers=alice.headers)
    assert response.status_code == 200
    assert response.json() == []
    assert "link" not in response.headers


async def test_get_one_and_not_someone_elses(client: httpx.AsyncClient) -> None:
    alice, bob = await _members(client, "alice", "bob")
    await _notify(client, alice, bob, "follow")
    [item] = (await client.get("/api/v1/notifications", headers=alice.headers)).json()
    response = await client.get(f"/api/v1/notifications/{item['id']}", headers=alice.headers)
    assert response.status_code == 200
    assert response.json()["account"]["id"] == str(bob.account_id)
    assert (
        await client.get(f"/api/v1/notifications/{item['id']}", headers=bob.headers)
    ).status_code == 404
    assert (
        await client.get("/api/v1/notifications/12345", headers=alice.headers)
    ).status_code == 404
    assert (
        await client.get("/api/v1/notifications/not-an-id", headers=alice.headers)
    ).status_code == 404


async def test_dismiss_and_clear(client: httpx.AsyncClient) -> None:
    alice, bob, carol = await _members(client, "alice", "bob", "carol")
    await _notify(client, alice, bob, "follow")
    await _notify(client, alice, carol, "follow")
    await _notify(client, bob, carol, "follow")
    first, second = (await client.get("/api/v1/notifications", headers=alice.headers)).json()

    # Someone else cannot dismiss it.
    foreign = await client.post(f"/api/v1/notifications/{first['id']}/dismiss", headers=bob.headers)
    assert foreign.status_code == 404
    dismissed = await client.post(
        f"/api/v1/notifications/{first['id']}/dismiss", headers=alice.headers
    )
    assert dismissed.status_code == 200
    assert dismissed.json() == {}
    remaining = (await client.get("/api/v1/notifications", headers=alice.headers)).json()
    assert [item["id"] for item in remaining] == [second["id"]]

    cleared = await client.post("/api/v1/notifications/clear", headers=alice.headers)
    assert cleared.status_code == 200
    assert (await client.get("/api/v1/notifications", headers=alice.headers)).json() == []
    # Bob's notifications are untouched.
    assert len((await client.get("/api/v1/notifications", headers=bob.headers)).json()) == 1


async def test_blocked_and_muted_senders_are_hidden_when_reading(
    client: httpx.AsyncClient,
) -> None:
    alice, bob, carol, dave = await _members(client, "alice", "bob", "carol", "dave")
    for sender in (bob, carol, dave):
        await _notify(client, alice, sender, "follow")
    # After the notifications were made: alice blocks bob, dave blocks alice, alice mutes
    # carol with notifications hidden.
    await block(_components(client), alice.account_id, bob.account_id)
    await block(_components(client), dave.account_id, alice.account_id)
    await mute(_components(client), alice.account_id, carol.account_id)
    response = await client.get("/api/v1/notifications", headers=alice.headers)
    assert response.json() == []
    unread = await client.get("/api/v1/notifications/unread_count", headers=alice.headers)
    assert unread.json() == {"count": 0}


async def test_notifications_about_statuses_no_longer_visible_are_hidden(
    client: httpx.AsyncClient,
) -> None:
    alice, bob = await _members(client, "alice", "bob")
    components = _components(client)
    # Bob mentions alice in a followers-only post; alice does not follow bob.
    hidden_id = await make_status(components, bob.account_id, visibility="private")
    shown_id = await make_status(
        components, bob.account_id, visibility="private", mentioned=(alice.account_id,)
    )
    await _notify(client, alice, bob, "mention", hidden_id)
    await _notify(client, alice, bob, "mention", shown_id)
    items = (await client.get("/api/v1/notifications", headers=alice.headers)).json()
    assert [item["status"]["id"] for item in items] == [str(shown_id)]
    await follow(components, alice.account_id, bob.account_id)
    items = (await client.get("/api/v1/notifications", headers=alice.headers)).json()
    assert len(items) == 2


async def test_scopes_and_authentication_are_enforced(client: httpx.AsyncClient) -> None:
    components = _components(client)
    reader = await make_member(components, "reader", scopes="read:notifications")
    assert (await client.get("/api/v1/notifications")).status_code == 401
    assert (await client.get("/api/v1/notifications", headers=reader.headers)).status_code == 200
    forbidden = await client.post("/api/v1/notifications/clear", headers=reader.headers)
    assert forbidden.status_code == 403
    writer = await make_member(components, "writer", scopes="read:statuses")
    assert (await client.get("/api/v1/notifications", headers=writer.headers)).status_code == 403
