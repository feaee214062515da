"""/api/v1/notifications/requests: the senders the policy filtered, with their notifications;
accept (shown, and let through from then on), dismiss (deleted), in bulk, merged."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.notification_groups_helpers import components_of, members, notify
from tests.api.streaming_helpers import sse, websocket
from tests.factories import Member
from tests.notifications_support import block, make_status

REQUESTS = "/api/v1/notifications/requests"


async def _filtering(client: httpx.AsyncClient, member: Member) -> None:
    response = await client.patch(
        "/api/v2/notifications/policy", json={"for_not_following": "filter"}, headers=member.headers
    )
    assert response.status_code == 200


async def _requests(client: httpx.AsyncClient, member: Member, query: str = "") -> list[Any]:
    response = await client.get(f"{REQUESTS}{query}", headers=member.headers)
    assert response.status_code == 200, response.text
    body: list[Any] = response.json()
    return body


async def _shown(client: httpx.AsyncClient, member: Member) -> list[str]:
    listed = (await client.get("/api/v1/notifications", headers=member.headers)).json()
    return [f"{item['type']}:{item['account']['username']}" for item in listed]


async def test_requests_list_filtered_senders_and_accept_lets_them_through(
    client: httpx.AsyncClient,
) -> None:
    alice, bob, carol = await members(client, "alice", "bob", "carol")
    components = components_of(client)
    await _filtering(client, alice)
    post = await make_status(components, alice.account_id)
    await notify(client, alice, bob, "follow")
    await notify(client, alice, bob, "favourite", post)
    await notify(client, alice, carol, "follow")

    listed = await _requests(client, alice)
    assert [(r["account"]["username"], r["notifications_count"]) for r in listed] == [
        ("carol", "1"),
        ("bob", "2"),
    ]
    bobs = listed[1]
    assert bobs["last_status"]["id"] == str(post)
    assert listed[0]["last_status"] is None
    one = await client.get(f"{REQUESTS}/{bobs['id']}", headers=alice.headers)
    assert one.status_code == 200
    assert one.json()["account"]["id"] == str(bob.account_id)
    paged = await client.get(f"{REQUESTS}?limit=1", headers=alice.headers)
    assert [r["account"]["username"] for r in paged.json()] == ["carol"]
    older = await client.get(paged.links["next"]["url"], headers=alice.headers)
    assert [r["account"]["username"] for r in older.json()] == ["bob"]

    accepted = await client.post(f"{REQUESTS}/{bobs['id']}/accept", headers=alice.headers)
    assert accepted.status_code == 200
    assert await _shown(client, alice) == ["favourite:bob", "follow:bob"]
    assert (await client.get(f"{REQUESTS}/merged", headers=alice.headers)).json() == {
        "merged": True
    }
    assert [r["account"]["username"] for r in await _requests(client, alice)] == ["carol"]
    assert (await client.get(f"{REQUESTS}/{bobs['id']}", headers=alice.headers)).status_code == 404
    # From now on bob is let through although alice still does not follow him.
    await notify(client, alice, bob, "reblog", post)
    assert (await _shown(client, alice))[0] == "reblog:bob"
    policy = (await client.get("/api/v2/notifications/policy", headers=alice.headers)).json()
    assert policy["summary"] == {"pending_requests_count": 1, "pending_notifications_count": 1}


async def test_dismiss_deletes_the_filtered_notifications(client: httpx.AsyncClient) -> None:
    alice, bob = await members(client, "alice", "bob")
    await _filtering(client, alice)
    await notify(client, alice, bob, "follow")
    (request,) = await _requests(client, alice)
    dismissed = await client.post(f"{REQUESTS}/{request['id']}/dismiss", headers=alice.headers)
    assert dismissed.status_code == 200
    assert await _requests(client, alice) == []
    everything = await client.get(
        "/api/v1/notifications?include_filtered=true", headers=alice.headers
    )
    assert everything.json() == []
    # Still filtered: a new notification opens a new request.
    post = await make_status(components_of(client), alice.account_id)
    await notify(client, alice, bob, "favourite", post)
    (again,) = await _requests(client, alice)
    assert again["notifications_count"] == "1"
    assert await _shown(client, alice) == []


async def test_bulk_accept_and_dismiss_are_all_or_nothing(client: httpx.AsyncClient) -> None:
    alice, bob, carol, dave, erin = await members(client, "alice", "bob", "carol", "dave", "erin")
    await _filtering(client, alice)
    await _filtering(client, erin)
    for sender in (bob, carol, dave):
        await notify(client, alice, sender, "follow")
    await notify(client, erin, bob, "follow")
    ids = {r["account"]["username"]: r["id"] for r in await _requests(client, alice)}
    (erins,) = await _requests(client, erin)

    for action in ("accept", "dismiss"):
        for wrong in ("123456", erins["id"]):  # unknown, or someone else's: nothing happens
            refused = await client.post(
                f"{REQUESTS}/{action}", data={"id[]": [ids["bob"], wrong]}, headers=alice.headers
            )
            assert refused.status_code == 404, (action, wrong)
    assert {r["account"]["username"] for r in await _requests(client, alice)} == set(ids)
    assert await _shown(client, alice) == []

    accepted = await client.post(
        f"{REQUESTS}/accept", data={"id[]": [ids["bob"]]}, headers=alice.headers
    )
    assert accepted.status_code == 200
    assert await _shown(client, alice) == ["follow:bob"]
    done = await client.post(
        f"{REQUESTS}/dismiss", data={"id[]": [ids["carol"], ids["dave"]]}, headers=alice.headers
    )
    assert done.status_code == 200
    assert await _requests(client, alice) == []
    assert await _shown(client, alice) == ["follow:bob"]
    assert [r["id"] for r in await _requests(client, erin)] == [erins["id"]]  # untouched
    bad = await client.post(f"{REQUESTS}/accept", data={"id[]": "x"}, headers=alice.headers)
    assert bad.status_code == 422


async def test_requests_are_private_and_hide_blocked_senders(client: httpx.AsyncClient) -> None:
    alice, bob, carol = await members(client, "alice", "bob", "carol")
    await _filtering(client, alice)
    await notify(client, alice, bob, "follow")
    await notify(client, alice, carol, "follow")
    ids = {r["account"]["username"]: r["id"] for r in await _requests(client, alice)}
    for path in (f"{REQUESTS}/{ids['bob']}", f"{REQUESTS}/nope", f"{REQUESTS}/0"):
        assert (await client.get(path, headers=carol.headers)).status_code == 404
    for action in ("accept", "dismiss"):
        response = await client.post(f"{REQUESTS}/{ids['bob']}/{action}", headers=carol.headers)
        assert response.status_code == 404
    await block(components_of(client), alice.account_id, carol.account_id)
    assert [r["account"]["username"] for r in await _requests(client, alice)] == ["bob"]
    policy = (await client.get("/api/v2/notifications/policy", headers=alice.headers)).json()
    assert policy["summary"]["pending_requests_count"] == 1
    assert (await client.get(REQUESTS)).status_code == 401
    read_only = await client.post(f"{REQUESTS}/{ids['bob']}/accept")
    assert read_only.status_code == 401


async def test_accepting_requests_tells_the_streams_notifications_merged(
    client: httpx.AsyncClient,
) -> None:
    alice, bob = await members(client, "alice", "bob")
    await _filtering(client, alice)
    await notify(client, alice, bob, "follow")
    (request,) = await _requests(client, alice)
    async with (
        websocket(client, token=alice.token, stream="user") as home,
        sse(client, "/api/v1/streaming/user/notification", token=alice.token) as alerts,
    ):
        accepted = await client.post(f"{REQUESTS}/{request['id']}/accept", headers=alice.headers)
        assert accepted.status_code == 200, accepted.text
        frame = await home.frame()
        assert (frame["event"], frame["payload"]) == ("notifications_merged", "1")
        event = await alerts.event()
        assert (event.event, event.data) == ("notifications_merged", "1")
