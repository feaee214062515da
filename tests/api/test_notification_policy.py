"""GET/PATCH /api/v2/notifications/policy, and what the policy does to new notifications:
accept, filter (hidden unless include_filtered, counted in the summary) or drop."""

from __future__ import annotations

from typing import Any

import httpx

from godwit.domain.notifications import Notification, NotificationFilter
from godwit.domain.pagination import PageRequest
from godwit.domain.streaming import NOTIFICATION
from godwit.services.notifying import notify as notify_in
from tests.api.notification_groups_helpers import (
    age_account,
    age_follow,
    components_of,
    members,
    notify,
)
from tests.factories import Member, make_member
from tests.notifications_support import follow, make_status

POLICY = "/api/v2/notifications/policy"
DEFAULTS = {
    "for_not_following": "accept",
    "for_not_followers": "accept",
    "for_new_accounts": "accept",
    "for_private_mentions": "filter",
    "for_limited_accounts": "filter",
}


async def _policy(client: httpx.AsyncClient, member: Member) -> dict[str, Any]:
    response = await client.get(POLICY, headers=member.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _stored(client: httpx.AsyncClient, member: Member) -> list[Notification]:
    """Every stored notification, filtered or not."""
    async with components_of(client).store.read() as tx:
        return await tx.notifications.page(
            member.account_id, PageRequest(limit=100), NotificationFilter(include_filtered=True)
        )


async def test_policy_has_mastodons_defaults_and_patches_field_by_field(
    client: httpx.AsyncClient,
) -> None:
    (alice,) = await members(client, "alice")
    assert await _policy(client, alice) == {
        **DEFAULTS,
        "summary": {"pending_requests_count": 0, "pending_notifications_count": 0},
    }
    patched = await client.patch(
        POLICY,
        json={"for_not_following": "filter", "for_new_accounts": "drop"},
        headers=alice.headers,
    )
    assert patched.status_code == 200, patched.text
    expected = {**DEFAULTS, "for_not_following": "filter", "for_new_accounts": "drop"}
    assert {k: v for k, v in patched.json().items() if k != "summary"} == expected
    # Form-encoded too (Mastodon.py), one field at a time.
    again = await client.patch(
        POLICY, data={"for_private_mentions": "accept"}, headers=alice.headers
    )
    assert again.json()["for_private_mentions"] == "accept"
    assert again.json()["for_new_accounts"] == "drop"

    bad = await client.patch(
        POLICY,
        json={"for_not_followers": "filter", "for_limited_accounts": "maybe"},
        headers=alice.headers,
    )
    assert bad.status_code == 422
    assert "for_limited_accounts" in bad.json()["error"]
    assert (await _policy(client, alice))["for_not_followers"] == "accept"  # nothing written

    reader = await make_member(components_of(client), "reader", scopes="read")
    assert (await client.get(POLICY, headers=reader.headers)).status_code == 200
    assert (
        await client.patch(POLICY, json={"for_not_following": "drop"}, headers=reader.headers)
    ).status_code == 403
    assert (await client.get(POLICY)).status_code == 401


async def test_filtered_notifications_are_held_back_and_counted(
    client: httpx.AsyncClient,
) -> None:
    alice, friend, stranger = await members(client, "alice", "friend", "stranger")
    components = components_of(client)
    await follow(components, alice.account_id, friend.account_id)
    await client.patch(POLICY, json={"for_not_following": "filter"}, headers=alice.headers)
    post = await make_status(components, alice.account_id)
    await notify(client, alice, friend, "favourite", post)
    await notify(client, alice, stranger, "favourite", post)
    await notify(client, alice, stranger, "follow")

    listed = (await client.get("/api/v1/notifications", headers=alice.headers)).json()
    assert [item["account"]["username"] for item in listed] == ["friend"]
    assert "filtered" not in listed[0]
    everything = (
        await client.get("/api/v1/notifications?include_filtered=true", headers=alice.headers)
    ).json()
    assert [item["account"]["username"] for item in everything] == [
        "stranger",
        "stranger",
        "friend",
    ]
    assert [item.get("filtered", False) for item in everything] == [True, True, False]
    assert everything[0]["group_key"].startswith("ungrouped-")  # filtered: never grouped

    grouped = (await client.get("/api/v2/notifications", headers=alice.headers)).json()
    assert [(g["type"], g["notifications_count"]) for g in grouped["notification_groups"]] == [
        ("favourite", 1)
    ]
    with_filtered = (
        await client.get("/api/v2/notifications?include_filtered=true", headers=alice.headers)
    ).json()
    assert [g["group_key"][:10] for g in with_filtered["notification_groups"]] == [
        "ungrouped-",
        "ungrouped-",
        "favourite-",
    ]
    for url in ("/api/v1/notifications/unread_count", "/api/v2/notifications/unread_count"):
        assert (await client.get(url, headers=alice.headers)).json() == {"count": 1}
    # A filtered notification is still found by id.
    one = await client.get(f"/api/v1/notifications/{everything[0]['id']}", headers=alice.headers)
    assert one.status_code == 200
    assert (await _policy(client, alice))["summary"] == {
        "pending_requests_count": 1,
        "pending_notifications_count": 2,
    }


async def test_drop_stores_nothing_and_each_condition_applies(client: httpx.AsyncClient) -> None:
    alice, newcomer, veteran, follower = await members(
        client, "alice", "newcomer", "veteran", "follower"
    )
    components = components_of(client)
    await age_account(components, veteran.account_id, days=400)
    await age_account(components, follower.account_id, days=400)
    await client.patch(
        POLICY,
        json={"for_new_accounts": "drop", "for_not_followers": "filter"},
        headers=alice.headers,
    )
    await follow(components, follower.account_id, alice.account_id)
    await age_follow(components, follower.account_id, alice.account_id, days=4)
    for sender in (newcomer, veteran, follower):
        await notify(client, alice, sender, "follow")
    stored = await _stored(client, alice)
    by_sender = {n.from_account_id: n.filtered for n in stored}
    assert by_sender == {veteran.account_id: True, follower.account_id: False}
    # Notifications a policy never holds back go through whatever it says.
    post = await make_status(components, newcomer.account_id)
    await notify(client, alice, newcomer, "status", post)
    assert {n.type for n in await _stored(client, alice)} == {"follow", "status"}


async def test_private_mentions_from_strangers_are_filtered_by_default(
    client: httpx.AsyncClient,
) -> None:
    alice, stranger, friend = await members(client, "alice", "stranger", "friend")
    components = components_of(client)
    await follow(components, alice.account_id, friend.account_id)
    job = components.services.notifications.handle_status_notify
    private = await make_status(
        components, stranger.account_id, visibility="direct", mentioned=(alice.account_id,)
    )
    public = await make_status(components, stranger.account_id, mentioned=(alice.account_id,))
    from_friend = await make_status(
        components, friend.account_id, visibility="direct", mentioned=(alice.account_id,)
    )
    for status_id in (private, public, from_friend):
        await job({"status_id": str(status_id)})
    shown = (await client.get("/api/v1/notifications", headers=alice.headers)).json()
    assert sorted(item["status"]["id"] for item in shown) == sorted([str(public), str(from_friend)])
    requests = (await client.get("/api/v1/notifications/requests", headers=alice.headers)).json()
    assert [(r["account"]["username"], r["notifications_count"]) for r in requests] == [
        ("stranger", "1")
    ]
    assert requests[0]["last_status"]["id"] == str(private)


async def test_a_filtered_notification_is_not_streamed(
    client: httpx.AsyncClient,
) -> None:
    alice, stranger = await members(client, "alice", "stranger")
    components = components_of(client)
    await client.patch(POLICY, json={"for_not_following": "filter"}, headers=alice.headers)
    async with components.store.write() as tx:
        await notify_in(
            tx, recipient_id=alice.account_id, from_account_id=stranger.account_id, type="follow"
        )
        held_back_events = list(tx.events.events)
    await client.patch(POLICY, json={"for_not_following": "accept"}, headers=alice.headers)
    post = await make_status(components, alice.account_id)
    async with components.store.write() as tx:
        await notify_in(
            tx,
            recipient_id=alice.account_id,
            from_account_id=stranger.account_id,
            type="favourite",
            status_id=post,
        )
        shown_events = list(tx.events.events)
    assert [event.event for event in held_back_events] == []
    assert [event.event for event in shown_events] == [NOTIFICATION]
