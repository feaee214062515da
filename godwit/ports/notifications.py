"""Repository port for notifications."""

from __future__ import annotations

from typing import Protocol


class NotificationRepository(Protocol):
    """Filled in by the notifications slice."""
