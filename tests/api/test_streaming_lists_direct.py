"""The list and direct streams, over WebSocket and SSE, in process (memory or Redis pub/sub)."""

from __future__ import annotations

import json

import httpx

from tests.api.lists_helpers import add_members, make_list
from tests.api.streaming_helpers import (
    jobs_idle,
    members,
    payload,
    refused_websocket,
    sse,
    sse_refused,
    websocket,
)
from tests.api.timelines_helpers import follow, post, reblog


async def test_list_stream_carries_members_posts_only(client: httpx.AsyncClient) -> None:
    owner, ann, bob = await members(client, *("owner", "ann", "bob"))
    await follow(client, owner, ann)
    await follow(client, owner, bob)
    found = await make_list(client, owner)
    assert (await add_members(client, owner, found["id"], ann)).is_success
    async with websocket(client, token=owner.token) as ws:
        await ws.subscribe("list", list=found["id"])
        await post(client, bob, "bob is followed but not listed")
        await jobs_idle(client)
        listed = await post(client, ann, "ann to her followers", visibility="private")
        frame = await ws.frame()
        # The first frame is ann's: bob's post never reached the list stream.
        assert frame["stream"] == ["list", found["id"]]
        assert frame["event"] == "update"
        assert payload(frame)["id"] == listed["id"]
        assert payload(frame)["visibility"] == "private"


async def test_list_stream_follows_the_replies_policy_and_reblog_choice(
    client: httpx.AsyncClient,
) -> None:
    owner, ann, bob, stranger = await members(client, *("owner", "ann", "bob", "stranger"))
    await follow(client, owner, ann, reblogs=False)
    await follow(client, owner, bob)
    members_only = await make_list(client, owner, "Members", replies_policy="list")
    assert (await add_members(client, owner, members_only["id"], ann, bob)).is_success
    to_stranger = await post(client, stranger, "hello all")
    to_bob = await post(client, bob, "bob asks")
    await jobs_idle(client)  # those two are published before the stream opens
    async with sse(
        client, "/api/v1/streaming/list", token=owner.token, list=members_only["id"]
    ) as reader:
        await post(client, ann, "@stranger hi", in_reply_to_id=to_stranger["id"])
        await reblog(client, ann, to_stranger["id"])  # the owner hides ann's reblogs
        await jobs_idle(client)
        shown = await post(client, ann, "@bob hi", in_reply_to_id=to_bob["id"])
        event = await reader.event()
        assert event.event == "update"
        assert json.loads(event.data)["id"] == shown["id"]


async def test_list_stream_picks_up_members_added_while_open(client: httpx.AsyncClient) -> None:
    owner, ann = await members(client, *("owner", "ann"))
    await follow(client, owner, ann)
    found = await make_list(client, owner)
    async with websocket(client, token=owner.token, stream="list", list=found["id"]) as ws:
        assert (await add_members(client, owner, found["id"], ann)).is_success
        await jobs_idle(client)
        posted = await post(client, ann, "now listed")
        frame = await ws.frame()
        assert frame["stream"] == ["list", found["id"]]
        assert payload(frame)["id"] == posted["id"]
        removed = await client.request(
            "DELETE",
            f"/api/v1/lists/{found['id']}/accounts",
            json={"account_ids": [str(ann.account_id)]},
            headers=owner.headers,
        )
        assert removed.is_success
        await post(client, ann, "no longer listed")
        await jobs_idle(client)
        await ws.subscribe("public")
        closing = await post(client, owner, "the public stream closes the check")
        frame = await ws.frame()
        assert (frame["stream"], payload(frame)["id"]) == (["public"], closing["id"])


async def test_list_stream_sends_deletes_of_members_posts(client: httpx.AsyncClient) -> None:
    owner, ann = await members(client, *("owner", "ann"))
    await follow(client, owner, ann)
    found = await make_list(client, owner)
    assert (await add_members(client, owner, found["id"], ann)).is_success
    async with websocket(client, token=owner.token, stream="list", list=found["id"]) as ws:
        posted = await post(client, ann, "soon gone")
        assert (await ws.frame())["event"] == "update"
        deleted = await client.delete(f"/api/v1/statuses/{posted['id']}", headers=ann.headers)
        assert deleted.status_code == 200
        assert await ws.frame() == {
            "stream": ["list", found["id"]],
            "event": "delete",
            "payload": posted["id"],
        }


async def test_only_the_owner_may_stream_a_list(client: httpx.AsyncClient) -> None:
    owner, intruder = await members(client, *("owner", "intruder"))
    found = await make_list(client, owner)
    status, body = await refused_websocket(
        client, token=intruder.token, stream="list", list=found["id"]
    )
    assert (status, body) == (401, {"error": "Not authorized to stream this list", "status": 401})
    assert await sse_refused(
        client, "/api/v1/streaming/list", token=intruder.token, list=found["id"]
    ) == (
        401,
        {"error": "Not authorized to stream this list"},
    )
    status, body = await sse_refused(client, "/api/v1/streaming/list", token=owner.token)
    assert status == 422
    assert body["error"] == "Missing list name parameter"
    status, _ = await sse_refused(client, "/api/v1/streaming/list", list=found["id"])
    assert status == 401  # no token at all
    async with websocket(client, token=intruder.token) as ws:
        await ws.subscribe("list", list=found["id"])
        assert await ws.frame() == {"error": "Not authorized to stream this list", "status": 401}
        await ws.subscribe("list", list="not-a-number")
        assert await ws.frame() == {"error": "Invalid list id", "status": 400}
        await ws.subscribe("list")
        assert await ws.frame() == {"error": "Missing list name parameter", "status": 400}


async def test_direct_stream_sends_conversations_to_each_participant(
    client: httpx.AsyncClient,
) -> None:
    alice, bob, carol = await members(client, *("alice", "bob", "carol"))
    await follow(client, carol, alice)  # a follower is no participant
    async with (
        websocket(client, token=bob.token, stream="direct") as bobs,
        sse(client, "/api/v1/streaming/direct", token=alice.token) as alices,
        websocket(client, token=carol.token, stream="direct") as carols,
        websocket(client, token=bob.token, stream="user") as bobs_home,
    ):
        secret = await post(client, alice, "@bob psst", visibility="direct")
        frame = await bobs.frame()
        assert frame["stream"] == ["direct"]
        assert frame["event"] == "conversation"
        conversation = payload(frame)
        assert conversation["unread"] is True
        assert [account["id"] for account in conversation["accounts"]] == [str(alice.account_id)]
        assert conversation["last_status"]["id"] == secret["id"]
        listed = (await client.get("/api/v1/conversations", headers=bob.headers)).json()
        assert conversation["id"] == listed[0]["id"]
        own = await alices.event()
        assert own.event == "conversation"
        assert json.loads(own.data)["unread"] is False
        assert json.loads(own.data)["last_status"]["id"] == secret["id"]
        # The post itself reaches the participant's home stream as an update.
        home = await bobs_home.frame()
        assert (home["event"], payload(home)["id"]) == ("update", secret["id"])
        await jobs_idle(client)
        to_carol = await post(client, alice, "@carol and now you", visibility="direct")
        # Carol's first conversation is her own: she never saw the one with bob.
        assert payload(await carols.frame())["last_status"]["id"] == to_carol["id"]


async def test_direct_stream_sends_deletes_to_participants(client: httpx.AsyncClient) -> None:
    alice, bob = await members(client, *("alice", "bob"))
    async with websocket(client, token=bob.token, stream="direct") as ws:
        secret = await post(client, alice, "@bob soon gone", visibility="direct")
        assert (await ws.frame())["event"] == "conversation"
        await jobs_idle(client)
        assert (
            await client.delete(f"/api/v1/statuses/{secret['id']}", headers=alice.headers)
        ).is_success
        assert await ws.frame() == {
            "stream": ["direct"],
            "event": "delete",
            "payload": secret["id"],
        }


async def test_direct_stream_needs_a_member_token(client: httpx.AsyncClient) -> None:
    status, _ = await refused_websocket(client, stream="direct")
    assert status == 401
    status, _ = await sse_refused(client, "/api/v1/streaming/direct")
    assert status == 401


async def test_an_exclusive_list_keeps_its_members_out_of_the_home_stream(
    client: httpx.AsyncClient,
) -> None:
    owner, ann, bob = await members(client, "owner", "ann", "bob")
    await follow(client, owner, ann)
    await follow(client, owner, bob)
    found = await make_list(client, owner, "Only here", exclusive=True)
    assert (await add_members(client, owner, found["id"], ann)).is_success
    await jobs_idle(client)
    async with (
        websocket(client, token=owner.token, stream="user") as home,
        websocket(client, token=owner.token, stream="list", list=found["id"]) as listed,
    ):
        anns = await post(client, ann, "read me in the list")
        assert payload(await listed.frame())["id"] == anns["id"]
        await jobs_idle(client)
        bobs = await post(client, bob, "read me at home")
        assert payload(await home.frame())["id"] == bobs["id"]
