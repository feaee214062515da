"""Redis pub/sub: events published by any process reach the listeners of every process.

Each process holds ONE Redis subscriber connection, pattern-subscribed to its namespace,
and dispatches what it reads to an in-process hub that the WebSocket and SSE connections
listen on. So a thousand open streams cost one Redis connection, not a thousand; the price
is that every process reads every event of the namespace (fine at our scale — see ADR).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from godwit.pubsub.memory import MemoryPubSub, MemorySubscription

log = logging.getLogger("godwit.pubsub")

RECONNECT_PAUSE_SECONDS = 1.0
READY_TIMEOUT_SECONDS = 5.0


class RedisPubSub:
    def __init__(self, url: str, *, namespace: str = "godwit") -> None:
        self._redis: Redis = Redis.from_url(url)  # connects lazily, on the first command
        self._prefix = f"{namespace}:stream:"
        self._hub = MemoryPubSub()
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._start_lock = asyncio.Lock()

    async def publish(self, channel: str, message: bytes | str) -> None:
        await self._redis.publish(self._prefix + channel, message)

    async def subscribe(self, channels: Sequence[str]) -> MemorySubscription:
        await self._start_reader()
        return await self._hub.subscribe(channels)

    async def _start_reader(self) -> None:
        async with self._start_lock:
            if self._reader is None:
                self._reader = asyncio.create_task(self._read(), name="godwit-pubsub-redis")
        # The first subscription waits until Redis confirmed the pattern, so nothing
        # published after subscribe() returns can be missed.
        await asyncio.wait_for(self._ready.wait(), READY_TIMEOUT_SECONDS)

    async def _read(self) -> None:
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.psubscribe(self._prefix + "*")
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None:
                        await self._dispatch(message)
            except asyncio.CancelledError:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call,unused-ignore]
                raise
            except (RedisError, OSError):
                log.warning("Redis pub/sub connection lost; reconnecting", exc_info=True)
                self._ready.clear()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call,unused-ignore]
                await asyncio.sleep(RECONNECT_PAUSE_SECONDS)

    async def _dispatch(self, message: dict[str, Any]) -> None:
        if message["type"] == "psubscribe":
            self._ready.set()
            return
        if message["type"] != "pmessage":
            return
        channel = message["channel"]
        if isinstance(channel, bytes):
            channel = channel.decode()
        data = message["data"]
        await self._hub.publish(channel.removeprefix(self._prefix), data)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        await self._hub.close()
        await self._redis.aclose()
