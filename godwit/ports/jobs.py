"""Repository port for jobs."""

from __future__ import annotations

from typing import Protocol


class JobRepository(Protocol):
    """Filled in by the jobs slice."""
