"""Unread counts after the notifications marker, and the grouped (v2) notifications."""

from __future__ import annotations

import httpx

from godwit.app import Components
from tests.factories import Member, make_member
from tests.notifications_support import make_status, notify_now


def _components(client: httpx.AsyncClient) -> Components:
    return client.app.state.components  # type: ignore[attr-defined,no-any-return]


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


async def test_unread_count_follows_the_notifications_marker(client: httpx.AsyncClient) -> None:
    components = _components(client)
    alice = await make_member(components, "alice")
    senders = [await make_member(components, f"s{n}") for n in range(4)]
    for sender in senders:
        await _notify(client, alice, sender, "follow")
    url = "/api/v1/notifications/unread_count"
    assert (await client.get(url, headers=alice.headers)).json() == {"count": 4}
    assert (await client.get(f"{url}?limit=2", headers=alice.headers)).json() == {"count": 2}
    assert (await client.get(f"{url}?types[]=mention", headers=alice.headers)).json() == {
        "count": 0
    }

    items = (await client.get("/api/v1/notifications", headers=alice.headers)).json()
    marked = await client.post(
        "/api/v1/markers",
        data={"notifications[last_read_id]": items[1]["id"]},
        headers=alice.headers,
    )
    assert marked.status_code == 200
    assert (await client.get(url, headers=alice.headers)).json() == {"count": 1}
    v2 = await client.get("/api/v2/notifications/unread_count", headers=alice.headers)
    assert v2.json() == {"count": 1}


async def test_grouped_notifications_fold_favourites_per_status(
    client: httpx.AsyncClient,
) -> None:
    components = _components(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    status_id = await make_status(components, alice.account_id)
    await _notify(client, alice, bob, "favourite", status_id)
    await _notify(client, alice, carol, "favourite", status_id)
    await _notify(client, alice, bob, "follow")

    response = await client.get("/api/v2/notifications", headers=alice.headers)
    assert response.status_code == 200
    body = response.json()
    follow_group, favourite_group = body["notification_groups"]
    assert follow_group["type"] == "follow"
    assert follow_group["notifications_count"] == 1
    assert follow_group["sample_account_ids"] == [str(bob.account_id)]
    assert favourite_group["group_key"] == f"favourite-{status_id}"
    assert favourite_group["notifications_count"] == 2
    assert favourite_group["sample_account_ids"] == [str(carol.account_id), str(bob.account_id)]
    assert favourite_group["status_id"] == str(status_id)
    assert {account["id"] for account in body["accounts"]} == {
        str(bob.account_id),
        str(carol.account_id),
    }
    assert [status["id"] for status in body["statuses"]] == [str(status_id)]
    assert "link" in response.headers

    # Without grouping every notification stands alone.
    ungrouped = await client.get(
        "/api/v2/notifications?grouped_types[]=reblog", headers=alice.headers
    )
    assert len(ungrouped.json()["notification_groups"]) == 3

    partial = await client.get(
        "/api/v2/notifications?expand_accounts=partial_avatars", headers=alice.headers
    )
    partial_body = partial.json()
    assert {a["id"] for a in partial_body["accounts"]} == {
        str(bob.account_id),
        str(carol.account_id),
    }
    assert partial_body["partial_accounts"] == []
