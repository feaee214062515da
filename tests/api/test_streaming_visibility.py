"""Streams never deliver a post to someone who may not see it: blocks (either way), mutes,
domain blocks, followers-only and direct posts, deleted posts, and "hide" filters; "warn"
filters deliver with ``filtered``. Each check ends with a later event that must arrive
first, so a silent stream cannot pass."""

from __future__ import annotations

from typing import Any

import httpx

from godwit.domain.roles import Actor
from godwit.domain.streaming import PUBLIC, UPDATE, StreamEvent, status_events
from tests.api.lists_helpers import add_members, make_list
from tests.api.streaming_helpers import WsClient, jobs_idle, members, payload, websocket
from tests.api.tier3_helpers import make_remote_account, remote_status
from tests.api.timelines_helpers import components_of, follow, post
from tests.factories import Member, make_member


async def first_update(ws: WsClient) -> dict[str, Any]:
    """The next update or delete frame (notifications are skipped)."""
    while True:
        frame = await ws.frame()
        if frame["event"] in ("update", "delete", "status.update"):
            return frame


async def act(client: httpx.AsyncClient, member: Member, path: str, **body: Any) -> None:
    response = await client.post(path, json=body, headers=member.headers)
    assert response.status_code == 200, response.text


async def test_blocked_and_blocking_authors_are_not_streamed(client: httpx.AsyncClient) -> None:
    viewer, blocked, blocker, friend = await members(
        client, "viewer", "blocked", "blocker", "friend"
    )
    await act(client, viewer, f"/api/v1/accounts/{blocked.account_id}/block")
    await act(client, blocker, f"/api/v1/accounts/{viewer.account_id}/block")
    async with websocket(client, token=viewer.token, stream="hashtag", tag="news") as ws:
        await ws.subscribe("public")
        await post(client, blocked, "blocked speaks #news")
        await post(client, blocker, "blocker speaks #news")
        shown = await post(client, friend, "friend speaks #news")
        frames = [await ws.frame(), await ws.frame()]
        assert {tuple(f["stream"]) for f in frames} == {("hashtag", "news"), ("public",)}
        assert {payload(f)["id"] for f in frames} == {shown["id"]}


async def test_muted_authors_are_not_streamed_on_home_list_or_public(
    client: httpx.AsyncClient,
) -> None:
    viewer, muted, friend = await members(client, "viewer", "muted", "friend")
    await follow(client, viewer, muted)
    await follow(client, viewer, friend)
    found = await make_list(client, viewer)
    assert (await add_members(client, viewer, found["id"], muted, friend)).is_success
    await act(client, viewer, f"/api/v1/accounts/{muted.account_id}/mute")
    await jobs_idle(client)
    async with (
        websocket(client, token=viewer.token, stream="user") as home,
        websocket(client, token=viewer.token, stream="list", list=found["id"]) as listed,
        websocket(client, token=viewer.token, stream="public") as public,
    ):
        await post(client, muted, "muted speaks")
        await jobs_idle(client)
        shown = await post(client, friend, "friend speaks")
        for ws in (home, listed, public):
            assert payload(await first_update(ws))["id"] == shown["id"]


async def test_a_blocked_domain_is_not_streamed(client: httpx.AsyncClient) -> None:
    viewer, friend = await members(client, "viewer", "friend")
    components = components_of(client)
    remote = await make_remote_account(components, "far", "spam.example")
    await act(client, viewer, "/api/v1/domain_blocks", domain="spam.example")
    async with (
        websocket(client, token=viewer.token, stream="public") as blocking,
        websocket(client, stream="public:remote") as anonymous,
    ):
        status_id = await remote_status(components, remote, "from afar")
        # Published as an inbound post would be, through the store after its commit.
        async with components.store.write() as tx:
            tx.events.emit(
                *status_events(
                    status_id, author_local=False, public=True, replies_to_other=False, tags=()
                )
            )
        assert payload(await anonymous.frame())["id"] == str(status_id)
        shown = await post(client, friend, "from here")
        assert payload(await blocking.frame())["id"] == shown["id"]


async def test_followers_only_posts_reach_followers_only(client: httpx.AsyncClient) -> None:
    author, follower, stranger = await members(client, "author", "follower", "stranger")
    await follow(client, follower, author)
    await jobs_idle(client)
    async with (
        websocket(client, token=follower.token, stream="user") as home,
        websocket(client, token=stranger.token, stream="user") as strangers_home,
    ):
        await strangers_home.subscribe("public")
        await strangers_home.subscribe("hashtag", tag="secret")
        private = await post(client, author, "for followers #secret", visibility="private")
        assert payload(await first_update(home))["id"] == private["id"]
        await jobs_idle(client)
        gone = await client.delete(f"/api/v1/statuses/{private['id']}", headers=author.headers)
        assert gone.status_code == 200
        assert (await first_update(home))["payload"] == private["id"]
        shown = await post(client, author, "for everyone")
        frame = await first_update(strangers_home)  # neither the post nor its deletion
        assert (frame["stream"], payload(frame)["id"]) == (["public"], shown["id"])


async def test_direct_posts_reach_participants_only(client: httpx.AsyncClient) -> None:
    author, mentioned, follower = await members(client, "author", "mentioned", "follower")
    await follow(client, follower, author)
    await jobs_idle(client)
    async with (
        websocket(client, token=mentioned.token, stream="user") as participant,
        websocket(client, token=follower.token, stream="user") as outsider,
    ):
        await outsider.subscribe("direct")
        await outsider.subscribe("public")
        secret = await post(client, author, f"@{mentioned.username} psst", visibility="direct")
        assert payload(await first_update(participant))["id"] == secret["id"]
        await jobs_idle(client)
        await client.delete(f"/api/v1/statuses/{secret['id']}", headers=author.headers)
        assert (await first_update(participant))["payload"] == secret["id"]
        shown = await post(client, author, "public now")
        frames = [await outsider.frame(), await outsider.frame()]
        assert {tuple(f["stream"]) for f in frames} == {("user",), ("public",)}
        assert {(f["event"], payload(f)["id"]) for f in frames} == {("update", shown["id"])}


async def test_a_deleted_post_is_never_streamed(client: httpx.AsyncClient) -> None:
    author, viewer = await members(client, "author", "viewer")
    doomed = await post(client, author, "about to go")
    await jobs_idle(client)
    async with websocket(client, token=viewer.token, stream="public") as ws:
        assert (
            await client.delete(f"/api/v1/statuses/{doomed['id']}", headers=author.headers)
        ).is_success
        assert await ws.frame() == {
            "stream": ["public"],
            "event": "delete",
            "payload": doomed["id"],
        }
        # An update still in flight when the post was deleted is dropped at delivery.
        pubsub = components_of(client).pubsub
        await pubsub.publish(PUBLIC, StreamEvent(PUBLIC, UPDATE, int(doomed["id"])).encode())
        shown = await post(client, author, "still here")
        assert payload(await ws.frame())["id"] == shown["id"]


async def make_filter(
    client: httpx.AsyncClient, member: Member, keyword: str, action: str, *context: str
) -> dict[str, Any]:
    response = await client.post(
        "/api/v2/filters",
        json={
            "title": keyword,
            "context": list(context),
            "filter_action": action,
            "keywords_attributes": [{"keyword": keyword}],
        },
        headers=member.headers,
    )
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_hide_filters_drop_events_and_warn_filters_mark_them(
    client: httpx.AsyncClient,
) -> None:
    viewer, author = await members(client, "viewer", "author")
    await follow(client, viewer, author)
    found = await make_list(client, viewer)
    assert (await add_members(client, viewer, found["id"], author)).is_success
    await make_filter(client, viewer, "spoilers", "hide", "home", "public", "notifications")
    warned = await make_filter(client, viewer, "football", "warn", "home", "public")
    await make_filter(client, viewer, "weather", "hide", "public")  # not in home
    await jobs_idle(client)
    async with (
        websocket(client, token=viewer.token, stream="user") as home,
        websocket(client, token=viewer.token, stream="list", list=found["id"]) as listed,
        websocket(client, token=viewer.token, stream="public") as public,
    ):
        await post(client, author, f"@{viewer.username} spoilers ahead")  # hidden everywhere
        await jobs_idle(client)
        weather = await post(client, author, "the weather is grey")
        await jobs_idle(client)
        match = await post(client, author, "football tonight")
        for ws in (home, listed):
            assert payload(await first_update(ws))["id"] == weather["id"]
        for ws in (home, listed, public):
            frame = await first_update(ws)
            status = payload(frame)
            assert status["id"] == match["id"]
            assert [r["filter"]["id"] for r in status["filtered"]] == [warned["id"]]
            assert status["filtered"][0]["keyword_matches"] == ["football"]
        # The mention notification was dropped too: its status matches a hide filter.
        notified = await post(client, author, f"@{viewer.username} plain words")
        frame = await home.frame()
        while frame["event"] != "notification":
            frame = await home.frame()
        assert payload(frame)["status"]["id"] == notified["id"]


async def test_a_limited_account_reaches_public_streams_of_its_followers_only(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    stranger, fan, friend = await members(client, "stranger", "fan", "friend")
    loud = await make_member(components, "loud")
    mod = await make_member(components, "mod", role="moderator")
    await follow(client, fan, loud)
    await components.services.account_moderation.limit(Actor(mod.account_id), loud.account_id)
    async with (
        websocket(client, token=stranger.token, stream="public") as strangers,
        websocket(client, token=fan.token, stream="hashtag", tag="news") as fans,
    ):
        limited = await post(client, loud, "limited speaks #news")
        shown = await post(client, friend, "friend speaks #news")
        assert payload(await first_update(strangers))["id"] == shown["id"]
        fan_sees = [payload(await first_update(fans))["id"] for _ in range(2)]
        assert fan_sees == [limited["id"], shown["id"]]
