"""Repository port for instance."""

from __future__ import annotations

from typing import Protocol


class InstanceRepository(Protocol):
    """Filled in by the instance slice."""
