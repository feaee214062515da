"""The pub/sub port: live events shared by every server process (best effort, no history).

Adapters: ``godwit.pubsub.memory`` (one process) and ``godwit.pubsub.redis`` (Redis pub/sub,
so several ``godwit serve`` processes share events). A message published while nobody
listens is gone: streaming is live delivery only, the timelines are the source of truth.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Message:
    channel: str
    data: bytes


class Subscription(Protocol):
    """One listener's channels; iterate it for messages until it is closed."""

    async def subscribe(self, channels: Sequence[str]) -> None: ...
    async def unsubscribe(self, channels: Sequence[str]) -> None: ...
    def __aiter__(self) -> AsyncIterator[Message]: ...
    async def close(self) -> None:
        """Stop listening; an iteration in progress ends."""
        ...


class PubSub(Protocol):
    async def publish(self, channel: str, message: bytes | str) -> None: ...
    async def subscribe(self, channels: Sequence[str]) -> Subscription:
        """A subscription already listening when this returns (no race with publish)."""
        ...

    async def close(self) -> None: ...
