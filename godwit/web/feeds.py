"""What pages that list posts share: reading the page cursor, rendering the statuses and
the link to the next (older) page, which the script follows as the reader scrolls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from godwit.domain.ids import parse_id
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import StatusView
from godwit.entities.statuses import render_statuses
from godwit.web.context import services

PAGE_SIZE = 20


def page_request(request: Request, limit: int = PAGE_SIZE) -> PageRequest:
    """The page a link asked for: ``max_id`` (older than) only; a bad cursor is the first page."""
    return PageRequest(limit=limit, max_id=parse_id(request.query_params.get("max_id")))


def older_url(request: Request, last_id: int | str | None, *, full: bool = True) -> str | None:
    """The URL of the next older page, or None when this page was not full."""
    if last_id is None or not full:
        return None
    query = {key: value for key, value in request.query_params.items() if key != "max_id"}
    query.pop("notice", None)
    query["max_id"] = str(last_id)
    return f"{request.url.path}?{urlencode(query)}"


def statuses_context(
    request: Request, views: Sequence[StatusView], *, limit: int = PAGE_SIZE
) -> dict[str, Any]:
    """``statuses`` (Mastodon entities), ``next_url`` and ``return_to`` for a status list."""
    statuses = render_statuses(views, services(request).settings)
    last = statuses[-1]["id"] if statuses else None
    return {
        "statuses": statuses,
        "next_url": older_url(request, last, full=len(views) >= limit),
        "return_to": current_path(request),
    }


def current_path(request: Request) -> str:
    query = {key: value for key, value in request.query_params.items() if key != "notice"}
    return request.url.path + (f"?{urlencode(query)}" if query else "")
