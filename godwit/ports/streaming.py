"""Where a store hands the events of a committed transaction (see domain/streaming.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from godwit.domain.streaming import StreamEvent


class EventSink(Protocol):
    async def publish_events(self, events: Sequence[StreamEvent]) -> None:
        """Publish after commit; best effort: failures are logged, never raised."""
        ...
