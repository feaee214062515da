"""Repository port for graph."""

from __future__ import annotations

from typing import Protocol


class GraphRepository(Protocol):
    """Filled in by the graph slice."""
