"""Clients for the streaming e2e tests: a real WebSocket client and an SSE reader."""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from mastodon import Mastodon, StreamListener
from websockets.asyncio.client import ClientConnection

from tests.databases import DatabaseFactory
from tests.support.live_server import LiveServer

DELIVERY_SECONDS = 1.0  # the bar: events arrive within a second
QUIET_SECONDS = 1.5  # how long "nothing arrives" is watched for


def start_streaming_server(
    database_factory: DatabaseFactory, workdir: Path
) -> tuple[LiveServer, str]:
    database_url = database_factory.new_url()
    server = LiveServer(
        workdir, database_url, extra_env={"GODWIT_STREAMING_HEARTBEAT_SECONDS": "1"}
    )
    server.start()
    return server, database_url


def ws_url(server: LiveServer, query: str = "") -> str:
    return f"ws://127.0.0.1:{server.port}/api/v1/streaming" + (f"?{query}" if query else "")


async def next_frame(
    ws: ClientConnection,
    within: float = 5.0,
    accept: Callable[[dict[str, Any]], bool] = lambda _frame: True,
) -> dict[str, Any]:
    """The next frame ``accept`` takes (others, e.g. from earlier setup, are skipped)."""
    deadline = time.monotonic() + within
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no matching frame")
        raw = await asyncio.wait_for(ws.recv(), remaining)
        frame = json.loads(raw)
        assert isinstance(frame, dict)
        if accept(frame):
            return frame


async def frames_within(ws: ClientConnection, seconds: float) -> list[dict[str, Any]]:
    frames = []
    deadline = time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), remaining)))
        except TimeoutError:
            break
    return frames


def payload_of(frame: dict[str, Any]) -> dict[str, Any]:
    """Update and notification payloads are JSON *strings*, as Mastodon sends them."""
    assert isinstance(frame["payload"], str)
    payload = json.loads(frame["payload"])
    assert isinstance(payload, dict)
    return payload


@dataclass
class SseEvent:
    event: str | None
    data: str | None
    comment: str | None = None


class SseReader:
    """Reads an SSE response in the background into a queue of events and comments."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.events: asyncio.Queue[SseEvent] = asyncio.Queue()
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        event: str | None = None
        data: str | None = None
        async for line in self.response.aiter_lines():
            if line.startswith(":"):
                await self.events.put(SseEvent(None, None, comment=line[1:]))
            elif line.startswith("event:"):
                event = line.removeprefix("event:").strip()
            elif line.startswith("data:"):
                data = line.removeprefix("data:").strip()
            elif line == "" and event is not None:
                await self.events.put(SseEvent(event, data))
                event, data = None, None

    async def next_event(self, name: str, within: float = 5.0) -> SseEvent:
        deadline = time.monotonic() + within
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {name} event")
            item = await asyncio.wait_for(self.events.get(), remaining)
            if item.event == name or (name == ":" + (item.comment or "") and item.event is None):
                return item


@asynccontextmanager
async def sse(
    server: LiveServer, path: str, headers: dict[str, str] | None = None
) -> AsyncIterator[SseReader]:
    async with (
        httpx.AsyncClient(base_url=server.base_url, timeout=30.0) as client,
        client.stream("GET", path, headers=headers or {}) as response,
    ):
        assert response.status_code == 200, response.status_code
        assert response.headers["content-type"].startswith("text/event-stream")
        reader = SseReader(response)
        try:
            yield reader
        finally:
            reader.task.cancel()


class Collector(StreamListener):
    """A Mastodon.py listener that queues every event it gets, for a test thread to read.
    ``ready`` is set by the first heartbeat comment: an SSE stream sends ``:)`` once it
    listens, so nothing published afterwards can be missed."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.ready = threading.Event()
        self.errors: list[Any] = []

    def handle_heartbeat(self) -> None:
        self.ready.set()

    def on_update(self, status: Any) -> None:
        self.events.put(("update", status))

    def on_status_update(self, status: Any) -> None:
        self.events.put(("status.update", status))

    def on_delete(self, status_id: Any) -> None:
        self.events.put(("delete", status_id))

    def on_notification(self, notification: Any) -> None:
        self.events.put(("notification", notification))

    def on_conversation(self, conversation: Any) -> None:
        self.events.put(("conversation", conversation))

    def on_filters_changed(self) -> None:
        self.events.put(("filters_changed", None))

    def on_websocket_error(self, error: Any, for_stream: Any = None) -> None:
        self.errors.append((error, for_stream))

    def on_abort(self, err: Any) -> None:
        self.errors.append(err)

    def next(
        self,
        name: str,
        within: float = 5.0,
        accept: Callable[[Any], bool] = lambda _payload: True,
    ) -> Any:
        """The payload of the next ``name`` event that ``accept`` takes (others are
        skipped)."""
        deadline = time.monotonic() + within
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {name} event; errors: {self.errors}")
            try:
                event, payload = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            if event == name and accept(payload):
                return payload

    def wait_listening(self, probe: Callable[[], Any], attempts: int = 20) -> None:
        """A WebSocket subscription is not acknowledged: make ``probe()`` post statuses
        the stream carries until one arrives, so the subscription is known to be live."""
        sent: set[Any] = set()
        for _ in range(attempts):
            sent.add(probe()["id"])
            try:
                self.next("update", within=0.5, accept=lambda status: status["id"] in sent)
                return
            except TimeoutError:
                continue
        raise TimeoutError(f"subscription never became live: {self.errors}")


def streaming_api(server: LiveServer, token: str) -> Mastodon:
    """Mastodon.py for streaming: a plain session, since the contract-checking one reads
    whole response bodies and a stream never ends."""
    return Mastodon(
        api_base_url=server.base_url,
        access_token=token,
        version_check_mode="none",
        request_timeout=30,
    )
