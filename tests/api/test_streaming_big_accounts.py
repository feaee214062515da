"""Big accounts' posts reach their followers' home streams live, though never written to
their feeds (read-time merge): through the author's channel, which home streams listen to
for the big accounts they follow."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from godwit.config import Settings
from godwit.storage.schema import home_feed
from tests.api.statuses_helpers import row_count
from tests.api.streaming_helpers import WsClient, jobs_idle, members, payload, websocket
from tests.api.timelines_helpers import components_of, follow, post, reblog
from tests.factories import Member

THRESHOLD = 4  # authors with more followers are merged at read time


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(fanout_read_threshold=THRESHOLD)


async def big_author(client: httpx.AsyncClient, *followers: Member) -> Member:
    """An author followed by ``followers`` and enough others to be over the threshold."""
    (author,) = await members(client, "star")
    fans = await members(client, *(f"fan{n}" for n in range(THRESHOLD + 1 - len(followers))))
    for fan in (*followers, *fans):
        await follow(client, fan, author)
    await jobs_idle(client)
    return author


async def frames_until(ws: WsClient, status_id: str) -> list[dict[str, Any]]:
    """Every frame up to the update of ``status_id`` (which must come)."""
    frames = []
    while True:
        frame = await ws.frame()
        frames.append(frame)
        if frame["event"] == "update" and payload(frame)["id"] == status_id:
            return frames


async def unfeed(client: httpx.AsyncClient, member: Member, status_id: str) -> bool:
    """True when the status is not written in the member's home feed."""
    components = components_of(client)
    count = await row_count(
        components, home_feed, account_id=member.account_id, status_id=int(status_id)
    )
    return count == 0


async def test_a_big_accounts_post_reaches_a_followers_home_stream(
    client: httpx.AsyncClient,
) -> None:
    (reader,) = await members(client, "reader")
    author = await big_author(client, reader)
    async with websocket(client, token=reader.token, stream="user") as ws:
        posted = await post(client, author, "to my many followers", visibility="private")
        frame = await ws.frame()
        assert frame["stream"] == ["user"]
        assert (frame["event"], payload(frame)["id"]) == ("update", posted["id"])
        assert await unfeed(client, reader, posted["id"])  # merged at read time, not written
        home = await client.get("/api/v1/timelines/home", headers=reader.headers)
        assert posted["id"] in [status["id"] for status in home.json()]
        await client.put(
            f"/api/v1/statuses/{posted['id']}", json={"status": "edited"}, headers=author.headers
        )
        frame = await ws.frame()
        assert (frame["event"], payload(frame)["id"]) == ("status.update", posted["id"])


async def test_follows_made_and_ended_while_the_stream_is_open(client: httpx.AsyncClient) -> None:
    (reader,) = await members(client, "reader")
    author = await big_author(client)
    async with websocket(client, token=reader.token, stream="user") as ws:
        await follow(client, reader, author)
        await jobs_idle(client)
        posted = await post(client, author, "welcome, new follower")
        assert (await frames_until(ws, posted["id"]))[-1]["stream"] == ["user"]
        response = await client.post(
            f"/api/v1/accounts/{author.account_id}/unfollow", headers=reader.headers
        )
        assert response.status_code == 200
        await jobs_idle(client)
        await post(client, author, "you left")
        await jobs_idle(client)
        own = await post(client, reader, "my own post closes the check")
        frames = await frames_until(ws, own["id"])
        assert [f for f in frames if f["event"] == "update"] == frames[-1:]


async def test_an_account_growing_big_while_the_stream_is_open(client: httpx.AsyncClient) -> None:
    (reader,) = await members(client, "reader")
    (author,) = await members(client, "grower")
    await follow(client, reader, author)
    early = await members(client, "early1", "early2")
    for fan in early:
        await follow(client, fan, author)  # 3 followers: fanned out, yet listened to
    await jobs_idle(client)
    async with websocket(client, token=reader.token, stream="user") as ws:
        small = await post(client, author, "written to feeds")
        assert [f["event"] for f in await frames_until(ws, small["id"])] == ["update"]
        assert not await unfeed(client, reader, small["id"])
        for fan in await members(client, "late1", "late2"):
            await follow(client, fan, author)  # 5 followers: now merged at read time
        await jobs_idle(client)
        big = await post(client, author, "merged now")
        assert [f["event"] for f in await frames_until(ws, big["id"])] == ["update"]
        assert await unfeed(client, reader, big["id"])


async def test_home_rules_apply_to_merged_posts_and_nothing_comes_twice(
    client: httpx.AsyncClient,
) -> None:
    reader, stranger = await members(client, "reader", "stranger")
    author = await big_author(client)
    await follow(client, reader, author, reblogs=False)
    await jobs_idle(client)
    their = await post(client, stranger, "someone the reader does not follow")
    await jobs_idle(client)
    async with websocket(client, token=reader.token, stream="user") as ws:
        await reblog(client, author, their["id"])  # the reader hides the author's reblogs
        await post(client, author, f"@{stranger.username} hi", in_reply_to_id=their["id"])
        await jobs_idle(client)
        mention = await post(client, author, f"@{reader.username} this one is for you")
        await jobs_idle(client)
        own = await post(client, reader, "closing")
        frames = await frames_until(ws, own["id"])
        updates = [payload(f)["id"] for f in frames if f["event"] == "update"]
        # The mention was written to the reader's feed; its author channel copy is dropped.
        assert updates == [mention["id"], own["id"]]
        assert not await unfeed(client, reader, mention["id"])
