"""The Relationship entity: how the viewer and one account stand to each other."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from godwit.domain.graph import Relationship
from godwit.entities.common import iso_or_none


def render_relationship(rel: Relationship) -> dict[str, Any]:
    return {
        "id": str(rel.id),
        "following": rel.following,
        "showing_reblogs": rel.showing_reblogs,
        "notifying": rel.notifying,
        "languages": list(rel.languages) if rel.languages is not None else None,
        "followed_by": rel.followed_by,
        "blocking": rel.blocking,
        "blocked_by": rel.blocked_by,
        "muting": rel.muting,
        "muting_notifications": rel.muting_notifications,
        "muting_expires_at": iso_or_none(rel.muting_expires_at),
        "requested": rel.requested,
        "requested_by": rel.requested_by,
        "domain_blocking": rel.domain_blocking,
        "endorsed": rel.endorsed,
        "note": rel.note,
    }


def render_relationships(rels: Sequence[Relationship]) -> list[dict[str, Any]]:
    return [render_relationship(rel) for rel in rels]
