"""In-process pub/sub: a hub of bounded queues, one per subscription.

A slow listener never holds publishers up or grows memory without bound: when its queue is
full, new messages for it are dropped (streaming is best effort; clients reload timelines).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence

from godwit.ports.pubsub import Message

log = logging.getLogger("godwit.pubsub")

QUEUE_SIZE = 1000


class MemorySubscription:
    def __init__(self, hub: MemoryPubSub) -> None:
        self._hub = hub
        self._channels: set[str] = set()
        self._queue: asyncio.Queue[Message | None] = asyncio.Queue(QUEUE_SIZE)
        self._closed = False

    async def subscribe(self, channels: Sequence[str]) -> None:
        for channel in channels:
            self._channels.add(channel)
            self._hub._listeners.setdefault(channel, set()).add(self)

    async def unsubscribe(self, channels: Sequence[str]) -> None:
        for channel in channels:
            self._channels.discard(channel)
            listeners = self._hub._listeners.get(channel)
            if listeners is not None:
                listeners.discard(self)
                if not listeners:
                    del self._hub._listeners[channel]

    def deliver(self, message: Message) -> None:
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            log.warning("streaming listener too slow: message on %s dropped", message.channel)

    async def __aiter__(self) -> AsyncIterator[Message]:
        while not self._closed:
            message = await self._queue.get()
            if message is None:
                return
            yield message

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self.unsubscribe(list(self._channels))
        # Undelivered messages are dropped; the None wakes an iteration waiting for more.
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(None)


class MemoryPubSub:
    def __init__(self) -> None:
        self._listeners: dict[str, set[MemorySubscription]] = {}

    async def publish(self, channel: str, message: bytes | str) -> None:
        data = message.encode() if isinstance(message, str) else message
        for listener in list(self._listeners.get(channel, ())):
            listener.deliver(Message(channel, data))

    async def subscribe(self, channels: Sequence[str]) -> MemorySubscription:
        subscription = MemorySubscription(self)
        await subscription.subscribe(channels)
        return subscription

    async def close(self) -> None:
        for listeners in list(self._listeners.values()):
            for listener in list(listeners):
                await listener.close()
