"""Conversations: direct statuses grouped by thread, per participant."""

from __future__ import annotations

import httpx

from tests.api.statuses_helpers import post
from tests.api.timelines_helpers import components_of, settle
from tests.factories import make_member


async def test_direct_thread_becomes_a_conversation(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    first = await post(client, alice, status="@bob psst", visibility="direct")
    await post(client, alice, status="Public, not a conversation")
    await settle(client)

    bobs = (await client.get("/api/v1/conversations", headers=bob.headers)).json()
    assert len(bobs) == 1
    assert bobs[0]["unread"] is True
    assert [a["id"] for a in bobs[0]["accounts"]] == [str(alice.account_id)]
    assert bobs[0]["last_status"]["id"] == first["id"]
    alices = (await client.get("/api/v1/conversations", headers=alice.headers)).json()
    assert alices[0]["unread"] is False  # the author's own message
    assert [a["id"] for a in alices[0]["accounts"]] == [str(bob.account_id)]
    assert (await client.get("/api/v1/conversations", headers=carol.headers)).json() == []

    reply = await post(
        client, bob, status="@alice yes", visibility="direct", in_reply_to_id=first["id"]
    )
    await settle(client)
    bobs = (await client.get("/api/v1/conversations", headers=bob.headers)).json()
    assert len(bobs) == 1  # same thread, same conversation
    assert bobs[0]["last_status"]["id"] == reply["id"]
    alices = (await client.get("/api/v1/conversations", headers=alice.headers)).json()
    assert alices[0]["unread"] is True

    read = await client.post(f"/api/v1/conversations/{alices[0]['id']}/read", headers=alice.headers)
    assert read.status_code == 200, read.text
    assert read.json()["unread"] is False
    gone = await client.delete(f"/api/v1/conversations/{alices[0]['id']}", headers=alice.headers)
    assert gone.status_code == 200
    assert (await client.get("/api/v1/conversations", headers=alice.headers)).json() == []
    # Another member cannot touch Bob's conversation.
    foreign = await client.delete(f"/api/v1/conversations/{bobs[0]['id']}", headers=carol.headers)
    assert foreign.status_code == 404


async def test_conversation_pages(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    for n in range(3):
        await post(client, alice, status=f"@bob thread {n}", visibility="direct")
    await settle(client)
    page = await client.get("/api/v1/conversations", params={"limit": 2}, headers=bob.headers)
    assert len(page.json()) == 2
    next_url = page.headers["Link"].split(";")[0].strip("<>")
    rest = await client.get(next_url, headers=bob.headers)
    assert len(rest.json()) == 1
