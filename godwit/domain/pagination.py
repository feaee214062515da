"""Mastodon-style cursor pagination: max_id, since_id, min_id, limit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageRequest:
    """``max_id``: strictly older than. ``since_id``: newest items newer than.
    ``min_id``: the page immediately newer than (oldest first, then reversed)."""

    limit: int
    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None

    @property
    def ascending(self) -> bool:
        """True when the query must walk upwards from ``min_id`` (then reverse the rows)."""
        return self.min_id is not None and self.since_id is None

    @property
    def lower(self) -> int | None:
        """Exclusive lower bound on the cursor."""
        if self.min_id is not None and self.since_id is not None:
            return max(self.min_id, self.since_id)
        return self.min_id if self.min_id is not None else self.since_id


def clamp_limit(requested: int | None, default: int, maximum: int) -> int:
    if requested is None:
        return default
    return max(1, min(requested, maximum))
