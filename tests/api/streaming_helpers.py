"""In-process streaming clients: a WebSocket and an SSE reader driving the ASGI app directly.

httpx's ASGI transport buffers whole responses, so these speak ASGI themselves: the app
(with its middleware) runs in a task, frames and SSE events arrive on queues. They share
the app, database and pub/sub (memory, or Redis with GODWIT_TEST_REDIS_URL) of the
``client`` fixture, so a test acts through the HTTP API and watches the streams.

"Nothing arrives" is never checked by waiting alone: a test makes a later event that must
arrive, and checks it is the first one (one stream delivers in publishing order).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from godwit.services.jobs import JobService
from tests.api.statuses_helpers import components_of
from tests.factories import Member, make_member

WITHIN = 5.0  # generous for slow CI machines; the latency bar is checked in tests/e2e


def _scope(kind: str, path: str, query: dict[str, str], headers: dict[str, str]) -> dict[str, Any]:
    return {
        "type": kind,
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "scheme": "https" if kind == "http" else "wss",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": urlencode(query).encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        + [(b"host", b"godwit.test")],
        "client": ("127.0.0.1", 40000),
        "server": ("godwit.test", 443),
        "subprotocols": [],
        "extensions": {"websocket.http.response": {}},
    }


class WsClient:
    """One WebSocket connection to the app, in process."""

    def __init__(self, app: Any, scope: dict[str, Any]) -> None:
        self.to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task = asyncio.create_task(app(scope, self.to_app.get, self.from_app.put))
        self.denied_status: int | None = None
        self.denied_body: dict[str, Any] | None = None

    async def connect(self) -> bool:
        """True when accepted; else ``denied_status`` and ``denied_body`` say why."""
        await self.to_app.put({"type": "websocket.connect"})
        message = await asyncio.wait_for(self.from_app.get(), WITHIN)
        if message["type"] == "websocket.accept":
            return True
        assert message["type"] == "websocket.http.response.start", message
        self.denied_status = message["status"]
        body = b""
        while True:
            part = await asyncio.wait_for(self.from_app.get(), WITHIN)
            body += part.get("body", b"")
            if not part.get("more_body"):
                break
        self.denied_body = json.loads(body)
        return False

    async def send(self, data: dict[str, Any]) -> None:
        await self.to_app.put({"type": "websocket.receive", "text": json.dumps(data)})

    async def subscribe(self, stream: str, **params: str) -> None:
        await self.send({"type": "subscribe", "stream": stream, **params})

    async def unsubscribe(self, stream: str, **params: str) -> None:
        await self.send({"type": "unsubscribe", "stream": stream, **params})

    async def frame(self, within: float = WITHIN) -> dict[str, Any]:
        message = await asyncio.wait_for(self.from_app.get(), within)
        assert message["type"] == "websocket.send", message
        frame = json.loads(message["text"])
        assert isinstance(frame, dict)
        return frame

    async def close(self) -> None:
        await self.to_app.put({"type": "websocket.disconnect", "code": 1000})
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.task, WITHIN)


@asynccontextmanager
async def websocket(
    client: httpx.AsyncClient,
    *,
    token: str | None = None,
    **query: str,
) -> AsyncIterator[WsClient]:
    """An accepted WebSocket on /api/v1/streaming (``query``: stream, tag, list…)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    ws = WsClient(client.app, _scope("websocket", "/api/v1/streaming", query, headers))  # type: ignore[attr-defined]
    assert await ws.connect(), (ws.denied_status, ws.denied_body)
    try:
        yield ws
    finally:
        await ws.close()


async def refused_websocket(
    client: httpx.AsyncClient, *, token: str | None = None, **query: str
) -> tuple[int | None, dict[str, Any] | None]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    ws = WsClient(client.app, _scope("websocket", "/api/v1/streaming", query, headers))  # type: ignore[attr-defined]
    assert not await ws.connect()
    await asyncio.wait_for(ws.task, WITHIN)
    return ws.denied_status, ws.denied_body


@dataclass
class SseEvent:
    event: str
    data: str


class SseClient:
    """One Server-Sent-Events response of the app, read as it streams."""

    def __init__(self, app: Any, scope: dict[str, Any]) -> None:
        self.disconnected = asyncio.Event()
        self.from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task = asyncio.create_task(app(scope, self._receive, self.from_app.put))
        self._sent_request = False
        self.status = 0
        self.headers: dict[str, str] = {}
        self._buffer = ""
        self.events: asyncio.Queue[SseEvent] = asyncio.Queue()
        self.comments: list[str] = []
        self.body = b""

    async def _receive(self) -> dict[str, Any]:
        if not self._sent_request:
            self._sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.disconnected.wait()
        return {"type": "http.disconnect"}

    async def start(self) -> None:
        message = await asyncio.wait_for(self.from_app.get(), WITHIN)
        assert message["type"] == "http.response.start", message
        self.status = message["status"]
        self.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            message = await self.from_app.get()
            if message["type"] != "http.response.body":
                continue
            chunk = message.get("body", b"")
            self.body += chunk
            self._buffer += chunk.decode()
            while "\n\n" in self._buffer:
                block, self._buffer = self._buffer.split("\n\n", 1)
                self._parse(block)
            if not message.get("more_body"):
                return

    def _parse(self, block: str) -> None:
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if line.startswith(":"):
                self.comments.append(line[1:])
                continue
            name, _, value = line.partition(": ")
            fields[name] = value
        if "event" in fields:
            self.events.put_nowait(SseEvent(fields["event"], fields.get("data", "")))

    async def event(self, within: float = WITHIN) -> SseEvent:
        return await asyncio.wait_for(self.events.get(), within)

    async def close(self) -> None:
        self.disconnected.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.task, WITHIN)
        if hasattr(self, "_reader"):
            self._reader.cancel()


@asynccontextmanager
async def sse(
    client: httpx.AsyncClient, path: str, *, token: str | None = None, **query: str
) -> AsyncIterator[SseClient]:
    """An open SSE stream; fails the test unless it answered 200 text/event-stream."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    reader = SseClient(client.app, _scope("http", path, query, headers))  # type: ignore[attr-defined]
    await reader.start()
    try:
        assert reader.status == 200, reader.status
        assert reader.headers["content-type"].startswith("text/event-stream")
        # The ":)" comment is sent once the stream listens: nothing published later is lost.
        deadline = time.monotonic() + WITHIN
        while ")" not in reader.comments:
            assert time.monotonic() < deadline, "the stream never opened"
            await asyncio.sleep(0.005)
        yield reader
    finally:
        await reader.close()


async def sse_refused(
    client: httpx.AsyncClient, path: str, *, token: str | None = None, **query: str
) -> tuple[int, dict[str, Any]]:
    """(status, JSON body) of an SSE request that is refused before streaming."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    reader = SseClient(client.app, _scope("http", path, query, headers))  # type: ignore[attr-defined]
    await reader.start()
    await asyncio.wait_for(reader.task, WITHIN)
    await asyncio.wait_for(reader._reader, WITHIN)  # the whole (short) error body
    await reader.close()
    body = json.loads(reader.body)
    assert isinstance(body, dict)
    return reader.status, body


def payload(frame: dict[str, Any]) -> dict[str, Any]:
    """Status, notification and conversation payloads are JSON strings, as in Mastodon."""
    assert isinstance(frame["payload"], str)
    parsed = json.loads(frame["payload"])
    assert isinstance(parsed, dict)
    return parsed


async def jobs_idle(client: httpx.AsyncClient, within: float = WITHIN) -> None:
    """Wait until the in-process job runner has nothing due or running (so the events of
    what came before are all published)."""
    service = JobService(components_of(client).store)
    deadline = time.monotonic() + within
    while await service.has_due() or (await service.pending())[1]:
        assert time.monotonic() < deadline, "jobs did not finish"
        await asyncio.sleep(0.01)


async def members(client: httpx.AsyncClient, *names: str) -> list[Member]:
    components = components_of(client)
    return [await make_member(components, name) for name in names]
