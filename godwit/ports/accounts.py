"""Repository port for accounts."""

from __future__ import annotations

from typing import Protocol


class AccountRepository(Protocol):
    """Filled in by the accounts slice."""
