"""Live timelines of the web app (/web/live/<timeline>): Server-Sent Events of status cards
rendered for the reader, with every delivery re-checked for them.

httpx's ASGI transport buffers whole responses, so the stream is read by speaking ASGI to
the app directly (as tests/api/streaming_helpers.py does), with the browser's cookies.
"Nothing arrives" is never checked by waiting alone: a later post that must arrive is
checked to be the first one (a stream delivers in publishing order).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from html import unescape
from typing import Any

import httpx
import pytest

from godwit.app import Components, build_app
from godwit.config import Settings
from tests.factories import Member, make_member
from tests.web.pages import csrf_token, sign_in

WITHIN = 5.0


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Heartbeats every second, so the session re-check is quick to observe."""
    return settings.replace(streaming_heartbeat_seconds=1)


@dataclass
class Event:
    event: str
    data: str


class LiveReader:
    """One /web/live response, read as it streams: events parsed as EventSource does."""

    def __init__(self, app: Any, path: str, cookies: str) -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "scheme": "https",
            "method": "GET",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [
                (b"host", b"godwit.test"),
                (b"accept", b"text/event-stream"),
                *([(b"cookie", cookies.encode())] if cookies else []),
            ],
            "client": ("127.0.0.1", 40000),
            "server": ("godwit.test", 443),
        }
        self.disconnected = asyncio.Event()
        self.messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task = asyncio.create_task(app(scope, self._receive, self.messages.put))
        self._asked = False
        self.status = 0
        self.headers: dict[str, str] = {}
        self.body = ""
        self.events: asyncio.Queue[Event] = asyncio.Queue()
        self.comments: list[str] = []
        self.ended = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    async def _receive(self) -> dict[str, Any]:
        if not self._asked:
            self._asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.disconnected.wait()
        return {"type": "http.disconnect"}

    async def start(self) -> None:
        message = await asyncio.wait_for(self.messages.get(), WITHIN)
        assert message["type"] == "http.response.start", message
        self.status = message["status"]
        self.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        buffer = ""
        while True:
            message = await self.messages.get()
            if message["type"] != "http.response.body":
                continue
            chunk = message.get("body", b"").decode()
            self.body += chunk
            buffer += chunk
            while "\n\n" in buffer:
                block, buffer = buffer.split("\n\n", 1)
                self._parse(block)
            if not message.get("more_body"):
                self.ended.set()
                return

    def _parse(self, block: str) -> None:
        name, data = "", []
        for line in block.split("\n"):
            if line.startswith(":"):
                self.comments.append(line[1:])
            elif line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data.append(line.removeprefix("data: "))
        if name:
            self.events.put_nowait(Event(name, "\n".join(data)))

    async def next(self, *names: str) -> Event:
        """The next event among ``names`` (others are skipped)."""
        deadline = time.monotonic() + WITHIN
        while True:
            event = await asyncio.wait_for(self.events.get(), deadline - time.monotonic())
            if event.event in names:
                return event

    async def close(self) -> None:
        self.disconnected.set()
        self.task.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(self.task, WITHIN)
        if self._reader is not None:
            self._reader.cancel()


def cookie_header(web: httpx.AsyncClient) -> str:
    return "; ".join(f"{name}={value}" for name, value in web.cookies.items())


@asynccontextmanager
async def live(web: httpx.AsyncClient, timeline: str) -> AsyncIterator[LiveReader]:
    """An open live stream of ``web``'s browser session; fails unless it streams."""
    reader = LiveReader(web.app, f"/web/live/{timeline}", cookie_header(web))  # type: ignore[attr-defined]
    await reader.start()
    try:
        assert reader.status == 200, (reader.status, reader.body)
        assert reader.headers["content-type"].startswith("text/event-stream")
        deadline = time.monotonic() + WITHIN
        while ")" not in reader.comments:  # sent once the stream listens
            assert time.monotonic() < deadline, "the stream never opened"
            await asyncio.sleep(0.005)
        yield reader
    finally:
        await reader.close()


async def refused(web: httpx.AsyncClient, timeline: str, cookies: str | None = None) -> int:
    reader = LiveReader(
        web.app,  # type: ignore[attr-defined]
        f"/web/live/{timeline}",
        cookie_header(web) if cookies is None else cookies,
    )
    await reader.start()
    await asyncio.wait_for(reader.ended.wait(), WITHIN)
    await reader.close()
    assert not reader.headers["content-type"].startswith("text/event-stream")
    return reader.status


async def post(web: httpx.AsyncClient, member: Member, text: str, **fields: Any) -> str:
    response = await web.post(
        "/api/v1/statuses", json={"status": text, **fields}, headers=member.headers
    )
    assert response.status_code == 200, response.text
    status_id: str = response.json()["id"]
    return status_id


async def follow(web: httpx.AsyncClient, follower: Member, followed: Member) -> None:
    response = await web.post(
        f"/api/v1/accounts/{followed.account_id}/follow", headers=follower.headers
    )
    assert response.status_code == 200, response.text


def card_id(event: Event) -> str:
    match = re.match(r'<article class="status" id="status-(\d+)"', event.data)
    assert match, event.data[:200]
    return match.group(1)


async def test_a_followed_members_post_arrives_rendered_in_the_home_stream(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    ann, ben = await make_member(web_components, "ann"), await make_member(web_components, "ben")
    await follow(web, ann, ben)
    await sign_in(web, web_components, ann)
    token = await csrf_token(web, "/home")
    async with live(web, "home") as stream:
        started = time.monotonic()
        posted = await post(web, ben, "Fresh from the oven", visibility="private")
        update = await stream.next("update")
        assert time.monotonic() - started < WITHIN
    assert card_id(update) == posted
    html = update.data
    assert "<p>Fresh from the oven</p>" in html
    assert 'href="/@ben"' in html
    # Rendered for the reader: the buttons are there, with a CSRF token that works.
    assert f'action="/web/statuses/{posted}/favourite"' in html
    tokens = set(re.findall(r'name="authenticity_token" value="([^"]+)"', html))
    assert tokens == {token}
    assert 'value="/home"' in html  # the forms send the reader back to the timeline
    liked = await web.post(
        f"/web/statuses/{posted}/favourite",
        data={"authenticity_token": unescape(token), "return_to": "/home"},
    )
    assert liked.status_code == 303


async def test_deletions_are_streamed(web: httpx.AsyncClient, web_components: Components) -> None:
    cat = await make_member(web_components, "cat")
    await sign_in(web, web_components, cat)
    async with live(web, "local") as stream:
        posted = await post(web, cat, "Soon gone")
        assert card_id(await stream.next("update")) == posted
        deleted = await web.delete(f"/api/v1/statuses/{posted}", headers=cat.headers)
        assert deleted.status_code == 200
        assert (await stream.next("delete")).data == posted


async def test_a_private_post_does_not_reach_a_non_follower(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    dee, eve = await make_member(web_components, "dee"), await make_member(web_components, "eve")
    friend, fan = (
        await make_member(web_components, "friend"),
        await make_member(web_components, "fan"),
    )
    await follow(web, eve, friend)
    await follow(web, fan, dee)  # dee has followers: the post is delivered somewhere
    await sign_in(web, web_components, eve)
    async with live(web, "home") as home, live(web, "public") as public:
        await post(web, dee, "Followers only", visibility="private")
        await post(web, dee, "Quiet public", visibility="unlisted")
        shown = await post(web, friend, "For everyone")
        assert card_id(await home.next("update")) == shown
        assert card_id(await public.next("update")) == shown
    assert "Followers only" not in home.body + public.body
    assert "Quiet public" not in home.body + public.body


async def test_hostile_content_is_escaped_in_streamed_cards(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    fox = await make_member(web_components, "fox")
    renamed = await web.patch(
        "/api/v1/accounts/update_credentials",
        data={"display_name": '<img src=x onerror="alert(1)">'},
        headers=fox.headers,
    )
    assert renamed.status_code == 200, renamed.text
    await sign_in(web, web_components, fox)
    async with live(web, "public") as stream:
        await post(
            web,
            fox,
            '<script>alert(1)</script> <a href="javascript:alert(2)">x</a>',
            spoiler_text='"><svg onload=alert(3)>',
        )
        html = (await stream.next("update")).data
    assert "<script" not in html
    assert "<svg onload" not in html
    assert "<img src=x" not in html
    assert not re.search(r"<a [^>]*href=\"javascript:", html)
    assert '&lt;a href="javascript:alert(2)"&gt;' in html  # shown as text, inert
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    assert "&lt;svg onload=alert(3)&gt;" in html


async def test_visitors_cannot_open_the_home_stream(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    assert await refused(web, "home", cookies="") == 401
    assert await refused(web, "list:123", cookies="") == 401
    assert await refused(web, "home", cookies="godwit_session=not-a-session") == 401
    assert await refused(web, "nonsense", cookies="") == 404
    # Public timelines are open to visitors (the server allows public streams without a
    # token by default); what they see is what anyone may see.
    author = await make_member(web_components, "gil")
    async with live(web, "tag:Birds") as tagged:
        await post(web, author, "Secret #birds", visibility="private")
        shown = await post(web, author, "Look up #birds")
        assert card_id(await tagged.next("update")) == shown
        assert 'action="/web/statuses/' not in tagged.body  # no buttons for visitors


async def test_a_list_stream_is_only_its_owners(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    owner, other = (
        await make_member(web_components, "owner"),
        await make_member(web_components, "other"),
    )
    created = await web.post("/api/v1/lists", json={"title": "Friends"}, headers=owner.headers)
    assert created.status_code == 200, created.text
    list_id = created.json()["id"]
    await sign_in(web, web_components, other)
    assert await refused(web, f"list:{list_id}") == 404
    await sign_in(web, web_components, owner)
    async with live(web, f"list:{list_id}"):
        pass


async def test_the_stream_ends_when_the_session_does(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    hal = await make_member(web_components, "hal")
    await sign_in(web, web_components, hal)
    token = await csrf_token(web, "/home")
    async with live(web, "home") as stream:
        out = await web.post("/auth/sign_out", data={"authenticity_token": unescape(token)})
        assert out.status_code == 303
        ended = await stream.next("end")
        assert ended.data == "signed-out"
        await asyncio.wait_for(stream.ended.wait(), WITHIN)


@pytest.fixture
async def closed_web(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app of a server whose public streams need a signed-in reader."""
    app = build_app(settings.replace(streaming_public_requires_token=True))
    components: Components = app.state.components
    await components.start()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://godwit.test"
    ) as http:
        http.app = app  # type: ignore[attr-defined]
        yield http
    await components.stop()


async def test_public_streams_need_a_session_when_the_server_says_so(
    closed_web: httpx.AsyncClient,
) -> None:
    assert await refused(closed_web, "local", cookies="") == 401
    assert await refused(closed_web, "tag:birds", cookies="") == 401
    components: Components = closed_web.app.state.components  # type: ignore[attr-defined]
    await sign_in(closed_web, components, await make_member(components, "ida"))
    async with live(closed_web, "local"):
        pass
