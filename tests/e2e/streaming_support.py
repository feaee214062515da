"""Clients for the streaming e2e tests: a real WebSocket client and an SSE reader."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
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
