"""Blocking, muting and removing followers through the API."""

from __future__ import annotations

import datetime as dt

import httpx

from tests.api.graph_helpers import components_of, counts, notification_count, relationship
from tests.factories import make_member


async def test_a_block_cuts_every_tie_both_ways(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    for follower, followed in ((alice, bob), (bob, alice)):
        response = await client.post(
            f"/api/v1/accounts/{followed.account_id}/follow", headers=follower.headers
        )
        assert response.json()["following"] is True
    assert await counts(components, alice.account_id) == (1, 1)

    blocked = await client.post(f"/api/v1/accounts/{bob.account_id}/block", headers=alice.headers)
    assert blocked.status_code == 200, blocked.text
    rel = blocked.json()
    assert rel["blocking"] is True
    assert rel["following"] is False
    assert rel["followed_by"] is False
    assert await counts(components, alice.account_id) == (0, 0)
    assert await counts(components, bob.account_id) == (0, 0)
    for recipient, sender in ((alice, bob), (bob, alice)):
        assert (
            await notification_count(
                components, recipient=recipient.account_id, sender=sender.account_id, type="follow"
            )
            == 0
        )

    # The blocked member sees the block and cannot follow back.
    theirs = await relationship(client, bob.headers, alice.account_id)
    assert theirs["blocked_by"] is True
    assert theirs["blocking"] is False
    refused = await client.post(f"/api/v1/accounts/{alice.account_id}/follow", headers=bob.headers)
    assert refused.status_code == 403
    # Nor can the blocker follow the account they block.
    refused = await client.post(f"/api/v1/accounts/{bob.account_id}/follow", headers=alice.headers)
    assert refused.status_code == 403

    # Blocking again is harmless; the blocks list shows the blocked account once.
    again = await client.post(f"/api/v1/accounts/{bob.account_id}/block", headers=alice.headers)
    assert again.status_code == 200
    listed = await client.get("/api/v1/blocks", headers=alice.headers)
    assert listed.status_code == 200
    assert [account["id"] for account in listed.json()] == [str(bob.account_id)]
    assert 'rel="next"' in listed.headers["link"]
    assert (await client.get("/api/v1/blocks", headers=bob.headers)).json() == []

    unblocked = await client.post(
        f"/api/v1/accounts/{bob.account_id}/unblock", headers=alice.headers
    )
    assert unblocked.json()["blocking"] is False
    assert (await relationship(client, bob.headers, alice.account_id))["blocked_by"] is False
    # A block does not come back as a follow when lifted.
    assert await counts(components, alice.account_id) == (0, 0)


async def test_a_block_removes_a_pending_follow_request(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    locked = await make_member(components, "locked", locked=True)
    bob = await make_member(components, "bob")
    await client.post(f"/api/v1/accounts/{locked.account_id}/follow", headers=bob.headers)
    await client.post(f"/api/v1/accounts/{bob.account_id}/block", headers=locked.headers)
    requests = await client.get("/api/v1/follow_requests", headers=locked.headers)
    assert requests.json() == []
    assert (await relationship(client, bob.headers, locked.account_id))["requested"] is False
    assert (
        await notification_count(
            components,
            recipient=locked.account_id,
            sender=bob.account_id,
            type="follow_request",
        )
        == 0
    )


async def test_an_account_hides_its_lists_from_those_it_blocks(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    await client.post(f"/api/v1/accounts/{alice.account_id}/follow", headers=carol.headers)
    await client.post(f"/api/v1/accounts/{bob.account_id}/block", headers=alice.headers)
    for kind in ("followers", "following"):
        url = f"/api/v1/accounts/{alice.account_id}/{kind}"
        hidden = await client.get(url, headers=bob.headers)
        assert hidden.status_code == 200
        assert hidden.json() == []
    shown = await client.get(f"/api/v1/accounts/{alice.account_id}/followers")
    assert [account["id"] for account in shown.json()] == [str(carol.account_id)]


async def test_mute_with_a_duration_and_notifications_flag(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    before = dt.datetime.now(dt.UTC)
    muted = await client.post(
        f"/api/v1/accounts/{bob.account_id}/mute",
        json={"notifications": False, "duration": 3600},
        headers=alice.headers,
    )
    assert muted.status_code == 200, muted.text
    rel = muted.json()
    assert rel["muting"] is True
    assert rel["muting_notifications"] is False
    expires = dt.datetime.fromisoformat(rel["muting_expires_at"].replace("Z", "+00:00"))
    assert before + dt.timedelta(minutes=59) < expires < before + dt.timedelta(minutes=61)
    assert (await relationship(client, bob.headers, alice.account_id))["muting"] is False

    forever = await client.post(
        f"/api/v1/accounts/{bob.account_id}/mute", data={"duration": "0"}, headers=alice.headers
    )
    assert forever.json()["muting_notifications"] is True  # the default
    assert forever.json()["muting_expires_at"] is None

    listed = await client.get("/api/v1/mutes", headers=alice.headers)
    assert [account["id"] for account in listed.json()] == [str(bob.account_id)]

    unmuted = await client.post(f"/api/v1/accounts/{bob.account_id}/unmute", headers=alice.headers)
    assert unmuted.json()["muting"] is False
    assert (await client.get("/api/v1/mutes", headers=alice.headers)).json() == []


async def test_mute_refuses_bad_durations(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    url = f"/api/v1/accounts/{bob.account_id}/mute"
    for body in ({"duration": -1}, {"duration": "soon"}, {"notifications": "sometimes"}):
        response = await client.post(url, json=body, headers=alice.headers)
        assert response.status_code == 422, body
        assert "error" in response.json()
    assert (await relationship(client, alice.headers, bob.account_id))["muting"] is False
    missing = await client.post("/api/v1/accounts/123/mute", headers=alice.headers)
    assert missing.status_code == 404


async def test_blocks_and_mutes_enforce_their_scopes(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    reader = await make_member(components, "reader", scopes="read")
    writer = await make_member(components, "writer", scopes="write")
    bob = await make_member(components, "bob")
    for action in ("block", "unblock", "mute", "unmute"):
        response = await client.post(
            f"/api/v1/accounts/{bob.account_id}/{action}", headers=reader.headers
        )
        assert response.status_code == 403, action
    for path in ("/api/v1/blocks", "/api/v1/mutes"):
        assert (await client.get(path, headers=writer.headers)).status_code == 403
        assert (await client.get(path)).status_code == 401


async def test_remove_from_followers_makes_a_follower_stop(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await client.post(f"/api/v1/accounts/{alice.account_id}/follow", headers=bob.headers)
    assert await counts(components, alice.account_id) == (1, 0)

    response = await client.post(
        f"/api/v1/accounts/{bob.account_id}/remove_from_followers", headers=alice.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["followed_by"] is False
    assert await counts(components, alice.account_id) == (0, 0)
    assert await counts(components, bob.account_id) == (0, 0)
    assert (await relationship(client, bob.headers, alice.account_id))["following"] is False
    # Nothing to remove the second time, and nothing goes negative.
    again = await client.post(
        f"/api/v1/accounts/{bob.account_id}/remove_from_followers", headers=alice.headers
    )
    assert again.status_code == 200
    assert await counts(components, alice.account_id) == (0, 0)
    missing = await client.post("/api/v1/accounts/0/remove_from_followers", headers=alice.headers)
    assert missing.status_code == 404
