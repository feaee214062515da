"""Pinning statuses and muting threads."""

from __future__ import annotations

import httpx

from godwit.storage.schema import conversation_mutes, notifications, status_pins, statuses
from tests.api.statuses_helpers import components_of, post, row_count
from tests.factories import make_member


async def test_pin_and_unpin_own_public_status(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    status = await post(client, alice, status="pin me")
    pinned = await client.post(f"/api/v1/statuses/{status['id']}/pin", headers=alice.headers)
    assert pinned.status_code == 200, pinned.text
    assert pinned.json()["pinned"] is True
    listed = await client.get(
        f"/api/v1/accounts/{alice.account_id}/statuses", params={"pinned": "true"}
    )
    assert [entity["id"] for entity in listed.json()] == [status["id"]]
    unpinned = await client.post(f"/api/v1/statuses/{status['id']}/unpin", headers=alice.headers)
    assert unpinned.status_code == 200
    assert unpinned.json()["pinned"] is False
    assert await row_count(components, status_pins, account_id=alice.account_id) == 0


async def test_pins_refused_as_mastodon_does(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    private = await post(client, alice, status="mine, private", visibility="private")
    direct = await post(client, alice, status="@bob psst", visibility="direct")
    bobs = await post(client, bob, status="bob's")
    reblog = await client.post(f"/api/v1/statuses/{bobs['id']}/reblog", headers=alice.headers)
    for refused_id in (private["id"], direct["id"], bobs["id"], reblog.json()["id"]):
        refused = await client.post(f"/api/v1/statuses/{refused_id}/pin", headers=alice.headers)
        assert refused.status_code == 422, (refused_id, refused.text)
    # What bob may not see is not found, not refused.
    hidden = await client.post(f"/api/v1/statuses/{private['id']}/pin", headers=bob.headers)
    assert hidden.status_code == 404
    assert await row_count(components, status_pins) == 0


async def test_at_most_five_pins(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    posted = [await post(client, alice, status=f"pin {n}") for n in range(6)]
    for status in posted[:5]:
        ok = await client.post(f"/api/v1/statuses/{status['id']}/pin", headers=alice.headers)
        assert ok.status_code == 200
    again = await client.post(f"/api/v1/statuses/{posted[0]['id']}/pin", headers=alice.headers)
    assert again.status_code == 200  # pinning a pinned status again is no new pin
    sixth = await client.post(f"/api/v1/statuses/{posted[5]['id']}/pin", headers=alice.headers)
    assert sixth.status_code == 422
    assert await row_count(components, status_pins, account_id=alice.account_id) == 5


async def test_replies_share_the_thread_root_conversation(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    root = await post(client, alice, status="root")
    reply = await post(client, alice, status="reply", in_reply_to_id=root["id"])
    deeper = await post(client, alice, status="deeper", in_reply_to_id=reply["id"])
    for entity in (root, reply, deeper):
        assert (
            await row_count(
                components, statuses, id=int(entity["id"]), conversation_id=int(root["id"])
            )
            == 1
        ), entity["id"]


async def test_muting_a_thread_silences_its_notifications(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    root = await post(client, alice, status="a thread")
    reply = await post(client, alice, status="more of it", in_reply_to_id=root["id"])

    muted = await client.post(f"/api/v1/statuses/{reply['id']}/mute", headers=alice.headers)
    assert muted.status_code == 200, muted.text
    assert muted.json()["muted"] is True
    root_view = await client.get(f"/api/v1/statuses/{root['id']}", headers=alice.headers)
    assert root_view.json()["muted"] is True  # the whole thread, not only that post
    assert await row_count(components, conversation_mutes, conversation_id=int(root["id"])) == 1

    fav = await client.post(f"/api/v1/statuses/{root['id']}/favourite", headers=bob.headers)
    assert fav.status_code == 200
    assert await row_count(components, notifications, account_id=alice.account_id) == 0

    unmuted = await client.post(f"/api/v1/statuses/{root['id']}/unmute", headers=alice.headers)
    assert unmuted.status_code == 200
    assert unmuted.json()["muted"] is False
    boost = await client.post(f"/api/v1/statuses/{reply['id']}/reblog", headers=bob.headers)
    assert boost.status_code == 200
    assert (
        await row_count(components, notifications, account_id=alice.account_id, type="reblog") == 1
    )


async def test_cannot_mute_a_thread_one_cannot_see(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    private = await post(client, alice, status="followers only", visibility="private")
    refused = await client.post(f"/api/v1/statuses/{private['id']}/mute", headers=bob.headers)
    assert refused.status_code == 404
    assert await row_count(components, conversation_mutes) == 0
