"""The Tag entity (hashtags in search results, /api/v1/tags/:name)."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from godwit.config import Settings
from godwit.domain.search import TagSummary


def render_tag(
    tag: TagSummary, settings: Settings, *, following: bool | None = None
) -> dict[str, Any]:
    """``following`` (given, else the summary's own) is None when there is no viewer."""
    return {
        "id": str(tag.id),
        "name": tag.name,
        "url": f"{settings.base_url}/tags/{quote(tag.name, safe='')}",
        # Mastodon sends the counters as strings; ``day`` is the UNIX time of midnight UTC.
        "history": [
            {
                "day": str(calendar.timegm(day.day.timetuple())),
                "uses": str(day.uses),
                "accounts": str(day.accounts),
            }
            for day in tag.history
        ],
        "following": following if following is not None else tag.following,
    }


def render_tags(tags: Sequence[TagSummary], settings: Settings) -> list[dict[str, Any]]:
    return [render_tag(tag, settings) for tag in tags]
