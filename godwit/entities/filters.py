"""Filter entities: Filter, FilterKeyword, FilterStatus, V1::Filter and FilterResult."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from godwit.domain.filters import Filter, FilterKeyword, FilterMatch, FilterStatus
from godwit.entities.common import iso_or_none
from godwit.services.filters import V1Filter


def render_filter_keyword(keyword: FilterKeyword) -> dict[str, Any]:
    return {"id": str(keyword.id), "keyword": keyword.keyword, "whole_word": keyword.whole_word}


def render_filter_status(entry: FilterStatus) -> dict[str, Any]:
    return {"id": str(entry.id), "status_id": str(entry.status_id)}


def render_filter(flt: Filter, *, with_items: bool = True) -> dict[str, Any]:
    """``with_items`` false leaves out keywords and statuses, as inside a FilterResult."""
    entity: dict[str, Any] = {
        "id": str(flt.id),
        "title": flt.title,
        "context": list(flt.context),
        "expires_at": iso_or_none(flt.expires_at),
        "filter_action": flt.action,
    }
    if with_items:
        entity["keywords"] = [render_filter_keyword(keyword) for keyword in flt.keywords]
        entity["statuses"] = [render_filter_status(entry) for entry in flt.statuses]
    return entity


def render_filters(filters: Sequence[Filter]) -> list[dict[str, Any]]:
    return [render_filter(flt) for flt in filters]


def render_v1_filter(view: V1Filter) -> dict[str, Any]:
    return {
        "id": str(view.keyword.id),
        "phrase": view.keyword.keyword,
        "context": list(view.filter.context),
        "whole_word": view.keyword.whole_word,
        "expires_at": iso_or_none(view.filter.expires_at),
        "irreversible": view.filter.action == "hide",
    }


def render_filter_result(match: FilterMatch) -> dict[str, Any]:
    return {
        "filter": render_filter(match.filter, with_items=False),
        "keyword_matches": list(match.keyword_matches) or None,
        "status_matches": [str(status_id) for status_id in match.status_matches] or None,
    }
