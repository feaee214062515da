"""WebSocket streaming against a live server, with a real WebSocket client.

Members are signed up and act through Mastodon.py; a `websockets` client listens, or
Mastodon.py's own WebSocket client (websocket-client underneath). Every
"must not arrive" check is closed by a later event that must arrive on the same socket, so
a silent or broken stream cannot pass.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.databases import DatabaseFactory
from tests.e2e.conftest import SignUp
from tests.e2e.streaming_support import (
    DELIVERY_SECONDS,
    Collector,
    frames_within,
    next_frame,
    payload_of,
    start_streaming_server,
    streaming_api,
    ws_url,
)
from tests.support.live_server import LiveServer


@pytest.fixture(scope="module")
def live_server(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    server, database_url = start_streaming_server(
        database_factory, tmp_path_factory.mktemp("streaming-ws")
    )
    try:
        yield server
    finally:
        server.stop()
        database_factory.drop(database_url)


async def test_update_reaches_a_follower_within_a_second_via_authorization_header(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    alice, bob = sign_up("alice"), sign_up("bob")
    bob.api.account_follow(alice.account_id)
    async with connect(ws_url(live_server, "stream=user"), additional_headers=bob.headers) as ws:
        posted = alice.api.status_post("hello followers", visibility="private")
        sent_at = time.monotonic()
        frame = await next_frame(ws, accept=lambda f: f["event"] == "update")
        assert time.monotonic() - sent_at < DELIVERY_SECONDS
        assert frame["stream"] == ["user"]
        status = payload_of(frame)
        assert status["id"] == str(posted["id"])
        assert status["content"] == posted["content"]
        assert status["account"]["id"] == alice.account_id


async def test_access_token_query_and_subscribe_message_for_public(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    reader, author = sign_up("reader"), sign_up("author")
    async with connect(ws_url(live_server, f"access_token={reader.token}")) as ws:
        await ws.send('{"type": "subscribe", "stream": "public"}')
        await ws.send('{"type": "subscribe", "stream": "public:local"}')
        posted = author.api.status_post("for everyone")
        got = {
            tuple((await next_frame(ws, accept=lambda f: f["event"] == "update"))["stream"])
            for _ in range(2)
        }
        assert got == {("public",), ("public:local",)}
        unlisted = author.api.status_post("quietly", visibility="unlisted")
        later = author.api.status_post("loud again")
        frames = [f for f in await frames_within(ws, 1.0) if f["event"] == "update"]
        ids = {payload_of(f)["id"] for f in frames}
        assert str(later["id"]) in ids
        assert str(unlisted["id"]) not in ids  # unlisted posts never reach public streams
        assert str(posted["id"]) not in ids  # and nothing is sent twice per stream


async def test_token_as_subprotocol_is_echoed_back(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    member = sign_up("browser")
    async with connect(ws_url(live_server, "stream=user"), subprotocols=[member.token]) as ws:
        assert ws.subprotocol == member.token
        posted = member.api.status_post("my own post reaches my own home stream")
        frame = await next_frame(ws, accept=lambda f: f["event"] == "update")
        assert payload_of(frame)["id"] == str(posted["id"])


async def test_bad_token_or_anonymous_user_stream_is_refused(live_server: LiveServer) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(ws_url(live_server, "access_token=nope&stream=public")):
            pass
    assert refused.value.response.status_code == 401
    with pytest.raises(InvalidStatus) as anonymous:
        async with connect(ws_url(live_server, "stream=user")):
            pass
    assert anonymous.value.response.status_code == 401


async def test_several_streams_then_unsubscribe(live_server: LiveServer, sign_up: SignUp) -> None:
    listener, author = sign_up("listener"), sign_up("tagger")
    tag = f"godwit{int(time.time() * 1000) % 10**8}"
    async with connect(
        ws_url(live_server, "stream=public"), additional_headers=listener.headers
    ) as ws:
        await ws.send(f'{{"type": "subscribe", "stream": "hashtag", "tag": "{tag}"}}')
        await ws.send('{"type": "subscribe", "stream": "nonsense"}')
        error = await next_frame(ws, accept=lambda f: "error" in f)
        assert error["status"] == 400
        first = author.api.status_post(f"about #{tag}")
        streams = set()
        for _ in range(2):
            frame = await next_frame(
                ws, accept=lambda f: f.get("event") == "update" and "payload" in f
            )
            assert payload_of(frame)["id"] == str(first["id"])
            streams.add(tuple(frame["stream"]))
        assert streams == {("public",), ("hashtag", tag)}
        await ws.send('{"type": "unsubscribe", "stream": "public"}')
        second = author.api.status_post(f"more #{tag}")
        frames = [f for f in await frames_within(ws, 1.0) if f.get("event") == "update"]
        assert [(f["stream"], payload_of(f)["id"]) for f in frames] == [
            (["hashtag", tag], str(second["id"]))
        ]


async def test_notifications_for_a_mention_and_a_favourite(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    target, fan = sign_up("target"), sign_up("fan")
    own = target.api.status_post("favourite me")
    url = ws_url(live_server, "stream=user:notification")
    async with connect(url, additional_headers=target.headers) as ws:
        fan.api.status_post(f"hey @{target.username}")
        mention = await next_frame(ws)
        assert mention["stream"] == ["user:notification"]
        assert mention["event"] == "notification"
        assert payload_of(mention)["type"] == "mention"
        assert payload_of(mention)["account"]["id"] == fan.account_id
        started = time.monotonic()
        fan.api.status_favourite(own["id"])
        favourite = await next_frame(ws)
        assert time.monotonic() - started < DELIVERY_SECONDS
        assert payload_of(favourite)["type"] == "favourite"
        assert payload_of(favourite)["status"]["id"] == str(own["id"])


async def test_delete_event_reaches_followers(live_server: LiveServer, sign_up: SignUp) -> None:
    author, follower = sign_up("deleter"), sign_up("watcher")
    follower.api.account_follow(author.account_id)
    async with connect(
        ws_url(live_server, "stream=user"), additional_headers=follower.headers
    ) as ws:
        posted = author.api.status_post("soon gone", visibility="private")
        await next_frame(ws, accept=lambda f: f["event"] == "update")
        started = time.monotonic()
        author.api.status_delete(posted["id"])
        frame = await next_frame(ws, accept=lambda f: f["event"] == "delete")
        assert time.monotonic() - started < DELIVERY_SECONDS
        assert frame == {"stream": ["user"], "event": "delete", "payload": str(posted["id"])}


async def test_blocked_and_muted_authors_are_never_pushed(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    viewer, blocked, muted, friend = (sign_up(n) for n in ("viewer", "blocked", "muted", "friend"))
    viewer.api.account_block(blocked.account_id)
    viewer.api.account_mute(muted.account_id)
    async with connect(
        ws_url(live_server, "stream=public"), additional_headers=viewer.headers
    ) as ws:
        hidden = {
            blocked.api.status_post("blocked author speaks")["id"],
            muted.api.status_post("muted author speaks")["id"],
        }
        shown = friend.api.status_post("a friend speaks")
        frames = [f for f in await frames_within(ws, 1.5) if f["event"] == "update"]
        ids = [payload_of(f)["id"] for f in frames]
        assert str(shown["id"]) in ids
        assert not {str(i) for i in hidden} & set(ids)


# --- list, direct, status.update and filters_changed -------------------------------------


def test_mastodon_py_websocket_list_and_direct_streams(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    """Mastodon.py's own WebSocket client: one socket, a list and the direct stream."""
    owner, member = sign_up("ws_lister"), sign_up("ws_listed")
    owner.api.account_follow(member.account_id)
    listed = owner.api.list_create("Neighbours")
    owner.api.list_accounts_add(listed["id"], [member.account_id])
    lists, direct = Collector(), Collector()
    handle = streaming_api(live_server, owner.token).stream_open_websocket(lists)
    try:
        handle.subscribe("list", list=str(listed["id"]))
        handle.subscribe("direct", listener=direct)
        lists.wait_listening(lambda: member.api.status_post("is the list live?"))
        posted = member.api.status_post("news for my followers", visibility="private")
        started = time.monotonic()
        assert lists.next("update", accept=lambda s: s["id"] == posted["id"])
        assert time.monotonic() - started < DELIVERY_SECONDS
        member.api.status_update(posted["id"], "news for my followers, corrected")
        started = time.monotonic()
        edited = lists.next("status.update")
        assert time.monotonic() - started < DELIVERY_SECONDS
        assert (edited["id"], "corrected" in edited["content"]) == (posted["id"], True)
        secret = member.api.status_post(f"@{owner.username} between us", visibility="direct")
        started = time.monotonic()
        conversation = direct.next("conversation")
        assert time.monotonic() - started < DELIVERY_SECONDS
        assert conversation["last_status"]["id"] == secret["id"]
        assert [account["id"] for account in conversation["accounts"]] == [member.account_id]
        assert not lists.errors
        assert not direct.errors
    finally:
        handle.close()


async def test_status_update_and_filters_changed_frames(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    member, author = sign_up("ws_filterer"), sign_up("ws_editor")
    async with connect(ws_url(live_server, "stream=user"), additional_headers=member.headers) as ws:
        await ws.send('{"type": "subscribe", "stream": "public:local"}')
        posted = author.api.status_post("a first draft")
        await next_frame(ws, accept=lambda f: f["event"] == "update")
        author.api.status_update(posted["id"], "a second draft")
        started = time.monotonic()
        frame = await next_frame(ws, accept=lambda f: f["event"] == "status.update")
        assert time.monotonic() - started < DELIVERY_SECONDS
        assert frame["stream"] == ["public:local"]
        assert payload_of(frame)["id"] == str(posted["id"])
        assert "second draft" in payload_of(frame)["content"]
        member.api.filter_create("drafts", ["home"])
        started = time.monotonic()
        frame = await next_frame(ws, accept=lambda f: f["event"] == "filters_changed")
        assert time.monotonic() - started < DELIVERY_SECONDS
        assert frame == {"stream": ["user"], "event": "filters_changed"}  # no payload
