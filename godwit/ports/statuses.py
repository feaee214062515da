"""Repository port for statuses."""

from __future__ import annotations

from typing import Protocol


class StatusRepository(Protocol):
    """Filled in by the statuses slice."""
