"""Server-Sent-Events streaming and the health check against a live server (httpx streaming)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.databases import DatabaseFactory
from tests.e2e.conftest import SignUp
from tests.e2e.streaming_support import (
    DELIVERY_SECONDS,
    Collector,
    sse,
    start_streaming_server,
    streaming_api,
)
from tests.support.live_server import LiveServer


@pytest.fixture(scope="module")
def live_server(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    server, database_url = start_streaming_server(
        database_factory, tmp_path_factory.mktemp("streaming-sse")
    )
    try:
        yield server
    finally:
        server.stop()
        database_factory.drop(database_url)


def test_health_answers_ok(http: httpx.Client) -> None:
    response = http.get("/api/v1/streaming/health")
    assert response.status_code == 200
    assert response.text == "OK"


async def test_public_stream_sends_updates_and_heartbeats(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    author = sign_up("sse_author")
    async with sse(live_server, "/api/v1/streaming/public") as reader:  # anonymous is allowed
        posted = author.api.status_post("public over SSE")
        started = time.monotonic()
        update = await reader.next_event("update")
        assert time.monotonic() - started < DELIVERY_SECONDS
        assert update.data is not None
        assert json.loads(update.data)["id"] == str(posted["id"])
        # The test server beats every second.
        heartbeat = await reader.next_event(":thump", within=3.0)
        assert heartbeat.comment == "thump"
        author.api.status_delete(posted["id"])
        deleted = await reader.next_event("delete")
        assert deleted.data == str(posted["id"])


async def test_user_stream_sends_update_notification_and_delete(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    member, friend = sign_up("sse_member"), sign_up("sse_friend")
    member.api.account_follow(friend.account_id)
    path = f"/api/v1/streaming/user?access_token={member.token}"
    async with sse(live_server, path) as reader:
        posted = friend.api.status_post("followers only", visibility="private")
        update = await reader.next_event("update")
        assert update.data is not None
        assert json.loads(update.data)["id"] == str(posted["id"])
        friend.api.status_post(f"@{member.username} look")
        notification = await reader.next_event("notification")
        assert notification.data is not None
        assert json.loads(notification.data)["type"] == "mention"
        friend.api.status_delete(posted["id"])
        deleted = await reader.next_event("delete")
        assert deleted.data == str(posted["id"])


async def test_notification_stream_with_header_token(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    member, fan = sign_up("sse_notified"), sign_up("sse_fan")
    own = member.api.status_post("like this")
    async with sse(live_server, "/api/v1/streaming/user/notification", member.headers) as reader:
        fan.api.status_favourite(own["id"])
        notification = await reader.next_event("notification")
        assert notification.data is not None
        assert json.loads(notification.data)["type"] == "favourite"


def test_user_stream_needs_a_token_and_hashtag_a_tag(http: httpx.Client) -> None:
    assert http.get("/api/v1/streaming/user").status_code == 401
    assert http.get("/api/v1/streaming/hashtag").status_code == 422


# --- list, direct, status.update and filters_changed through Mastodon.py's SSE client ----


def open_stream(start: Callable[..., Any], *args: Any) -> tuple[Collector, Any]:
    """Start a Mastodon.py stream in its thread; return once the server listens."""
    collector = Collector()
    handle = start(*args, collector, run_async=True, timeout=30)
    assert collector.ready.wait(10), f"stream never opened: {collector.errors}"
    return collector, handle


def timed(collector: Collector, name: str) -> Any:
    started = time.monotonic()
    payload = collector.next(name)
    assert time.monotonic() - started < DELIVERY_SECONDS, f"{name} took too long"
    return payload


def test_list_stream_update_edit_and_delete_with_mastodon_py(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    owner, member, other = sign_up("sse_lister"), sign_up("sse_listed"), sign_up("sse_other")
    owner.api.account_follow(member.account_id)
    owner.api.account_follow(other.account_id)
    listed = owner.api.list_create("Close friends")
    owner.api.list_accounts_add(listed["id"], [member.account_id])
    api = streaming_api(live_server, owner.token)
    collector, handle = open_stream(api.stream_list, listed["id"])
    try:
        other.api.status_post("not in the list")
        posted = member.api.status_post("for my followers", visibility="private")
        status = timed(collector, "update")
        assert status["id"] == posted["id"]  # the first update: the other's never came
        member.api.status_update(posted["id"], "for my followers, edited")
        edited = timed(collector, "status.update")
        assert edited["id"] == posted["id"]
        assert "edited" in edited["content"]
        member.api.status_delete(posted["id"])
        assert timed(collector, "delete") == posted["id"]
    finally:
        handle.close()


def test_direct_stream_conversation_with_mastodon_py(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    sender, recipient = sign_up("sse_sender"), sign_up("sse_recipient")
    api = streaming_api(live_server, recipient.token)
    collector, handle = open_stream(api.stream_direct)
    try:
        posted = sender.api.status_post(f"@{recipient.username} just us", visibility="direct")
        conversation = timed(collector, "conversation")
        assert conversation["unread"] is True
        assert [account["id"] for account in conversation["accounts"]] == [sender.account_id]
        assert conversation["last_status"]["id"] == posted["id"]
        assert recipient.api.conversations()[0]["id"] == conversation["id"]
    finally:
        handle.close()


def test_filters_changed_on_the_user_stream_with_mastodon_py(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    member = sign_up("sse_filterer")
    api = streaming_api(live_server, member.token)
    collector, handle = open_stream(api.stream_user)
    try:
        created = member.api.create_filter_v2(
            "Spoilers", ["home"], "hide", keywords_attributes=[{"keyword": "finale"}]
        )
        assert timed(collector, "filters_changed") is None
        member.api.delete_filter_v2(created["id"])
        assert timed(collector, "filters_changed") is None
    finally:
        handle.close()
