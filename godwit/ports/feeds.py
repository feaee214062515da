"""Repository port for feeds."""

from __future__ import annotations

from typing import Protocol


class FeedRepository(Protocol):
    """Filled in by the feeds slice."""
