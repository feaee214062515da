"""status.update, filters_changed and the :media public streams, in process."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.api.lists_helpers import add_members, make_list
from tests.api.media_helpers import uploaded
from tests.api.streaming_helpers import jobs_idle, members, payload, sse, websocket
from tests.api.timelines_helpers import follow, post
from tests.factories import Member


async def edit(client: httpx.AsyncClient, member: Member, status_id: str, text: str) -> None:
    response = await client.put(
        f"/api/v1/statuses/{status_id}", json={"status": text}, headers=member.headers
    )
    assert response.status_code == 200, response.text


async def test_an_edit_reaches_every_stream_the_post_reached(client: httpx.AsyncClient) -> None:
    author, follower, owner = await members(client, "author", "follower", "owner")
    await follow(client, follower, author)
    await follow(client, owner, author)
    found = await make_list(client, owner)
    assert (await add_members(client, owner, found["id"], author)).is_success
    posted = await post(client, author, "first words #godwit")
    await jobs_idle(client)
    async with (
        websocket(client, token=follower.token, stream="user") as home,
        websocket(client, token=owner.token, stream="list", list=found["id"]) as listed,
        websocket(client, stream="public:local") as local,
        sse(client, "/api/v1/streaming/hashtag", tag="GodWit") as tagged,
    ):
        await edit(client, author, posted["id"], "better words #godwit")
        for ws, stream in (
            (home, ["user"]),
            (listed, ["list", found["id"]]),
            (local, ["public:local"]),
        ):
            frame = await ws.frame()
            assert (frame["stream"], frame["event"]) == (stream, "status.update")
            assert payload(frame)["id"] == posted["id"]
            assert "better words" in payload(frame)["content"]
            assert payload(frame)["edited_at"] is not None
        event = await tagged.event()
        assert event.event == "status.update"
        assert "better words" in json.loads(event.data)["content"]


async def test_an_edit_of_a_followers_only_post_reaches_followers_only(
    client: httpx.AsyncClient,
) -> None:
    author, follower, stranger = await members(client, "author", "follower", "stranger")
    await follow(client, follower, author)
    posted = await post(client, author, "for my followers", visibility="private")
    await jobs_idle(client)
    async with (
        websocket(client, token=follower.token, stream="user") as home,
        websocket(client, token=stranger.token, stream="public") as public,
    ):
        await edit(client, author, posted["id"], "for my followers, edited")
        frame = await home.frame()
        assert (frame["event"], payload(frame)["id"]) == ("status.update", posted["id"])
        await jobs_idle(client)
        shown = await post(client, author, "public again")
        frame = await public.frame()
        assert (frame["event"], payload(frame)["id"]) == ("update", shown["id"])


async def filters_changed(ws: Any) -> None:
    assert await ws.frame() == {"stream": ["user"], "event": "filters_changed"}


async def test_every_filter_change_sends_filters_changed(client: httpx.AsyncClient) -> None:
    (member,) = await members(client, "member")
    other = (await members(client, "other"))[0]
    status = await post(client, other, "a post to filter")
    await jobs_idle(client)
    headers = member.headers
    async with websocket(client, token=member.token, stream="user") as ws:
        created = await client.post(
            "/api/v2/filters",
            json={
                "title": "Food",
                "context": ["home"],
                "keywords_attributes": [{"keyword": "kale"}],
            },
            headers=headers,
        )
        assert created.status_code == 200, created.text
        await filters_changed(ws)
        filter_id = created.json()["id"]
        updated = await client.put(
            f"/api/v2/filters/{filter_id}", json={"title": "Greens"}, headers=headers
        )
        assert updated.status_code == 200
        await filters_changed(ws)
        keyword = await client.post(
            f"/api/v2/filters/{filter_id}/keywords", json={"keyword": "chard"}, headers=headers
        )
        assert keyword.status_code == 200
        await filters_changed(ws)
        keyword_path = f"/api/v2/filters/keywords/{keyword.json()['id']}"
        changed = await client.put(keyword_path, json={"keyword": "beet"}, headers=headers)
        assert changed.status_code == 200
        await filters_changed(ws)
        assert (await client.delete(keyword_path, headers=headers)).status_code == 200
        await filters_changed(ws)
        entry = await client.post(
            f"/api/v2/filters/{filter_id}/statuses",
            json={"status_id": status["id"]},
            headers=headers,
        )
        assert entry.status_code == 200
        await filters_changed(ws)
        entry_path = f"/api/v2/filters/statuses/{entry.json()['id']}"
        assert (await client.delete(entry_path, headers=headers)).status_code == 200
        await filters_changed(ws)
        assert (
            await client.delete(f"/api/v2/filters/{filter_id}", headers=headers)
        ).status_code == 200
        await filters_changed(ws)
        v1 = await client.post(
            "/api/v1/filters", json={"phrase": "eclipse", "context": ["home"]}, headers=headers
        )
        assert v1.status_code == 200
        await filters_changed(ws)
        v1_path = f"/api/v1/filters/{v1.json()['id']}"
        assert (
            await client.put(v1_path, json={"phrase": "moon"}, headers=headers)
        ).status_code == 200
        await filters_changed(ws)
        assert (await client.delete(v1_path, headers=headers)).status_code == 200
        await filters_changed(ws)


async def test_filters_changed_over_sse_and_only_for_the_member(
    client: httpx.AsyncClient,
) -> None:
    member, other = await members(client, "member", "other")
    async with (
        sse(client, "/api/v1/streaming/user", token=member.token) as reader,
        websocket(client, token=other.token, stream="user") as others,
        websocket(client, token=member.token, stream="user:notification") as notifications,
    ):
        response = await client.post(
            "/api/v1/filters",
            json={"phrase": "eclipse", "context": ["home"]},
            headers=member.headers,
        )
        assert response.status_code == 200
        event = await reader.event()
        # No payload: "undefined", as Mastodon writes it (Mastodon.py reads it as none).
        assert (event.event, event.data) == ("filters_changed", "undefined")
        # Neither another member nor the notification stream heard of it: the first
        # thing each gets is a later mention.
        await post(client, member, f"@{other.username} hello")
        frame = await others.frame()
        assert (frame["event"], payload(frame)["type"]) == ("notification", "mention")
        await post(client, other, f"@{member.username} hi back")
        frame = await notifications.frame()
        assert (frame["event"], payload(frame)["type"]) == ("notification", "mention")


async def test_media_streams_carry_posts_with_attachments_only(client: httpx.AsyncClient) -> None:
    (author,) = await members(client, "author")
    media = await uploaded(client, author)
    async with (
        websocket(client, stream="public:media") as ws,
        sse(client, "/api/v1/streaming/public/local", only_media="true") as local_media,
        sse(client, "/api/v1/streaming/public/local", only_media="false") as local_all,
    ):
        await ws.subscribe("public:local:media")
        await ws.subscribe("public:remote:media")
        plain = await post(client, author, "words only")
        pictured = await post(client, author, "with a picture", media_ids=[media["id"]])
        frames = [await ws.frame(), await ws.frame()]
        assert sorted(tuple(f["stream"]) for f in frames) == [
            ("public:local:media",),
            ("public:media",),
        ]
        assert {payload(f)["id"] for f in frames} == {pictured["id"]}
        event = await local_media.event()
        assert json.loads(event.data)["id"] == pictured["id"]
        assert json.loads((await local_all.event()).data)["id"] == plain["id"]
        assert json.loads((await local_all.event()).data)["id"] == pictured["id"]


async def test_posts_of_followed_tags_reach_the_home_stream(client: httpx.AsyncClient) -> None:
    reader, stranger = await members(client, "reader", "stranger")
    followed = await client.post("/api/v1/tags/cats/follow", headers=reader.headers)
    assert followed.status_code == 200, followed.text
    async with websocket(client, token=reader.token, stream="user") as home:
        await post(client, stranger, "no tag here")
        await jobs_idle(client)
        tagged = await post(client, stranger, "look #cats")
        frame = await home.frame()
        assert (frame["event"], payload(frame)["id"]) == ("update", tagged["id"])
