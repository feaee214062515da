"""The Marker entity."""

from __future__ import annotations

from typing import Any

from godwit.domain.notifications import Marker
from godwit.entities.common import iso


def render_marker(marker: Marker) -> dict[str, Any]:
    return {
        "last_read_id": str(marker.last_read_id),
        "version": marker.version,
        "updated_at": iso(marker.updated_at),
    }


def render_markers(markers: dict[str, Marker]) -> dict[str, Any]:
    return {timeline: render_marker(marker) for timeline, marker in markers.items()}
