"""Links: those trending from recent use (with their preview cards), and the public posts
sharing one (Mastodon 4.3's link timeline)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import optional_auth, viewer_id
from godwit.api.context import params, services
from godwit.api.http import json_response, link_header
from godwit.domain.links import MAX_URL_LENGTH
from godwit.domain.pagination import clamp_limit
from godwit.entities.cards import render_trending_links
from godwit.entities.statuses import render_statuses

TRENDS_LIMIT = 10
TRENDS_MAX_LIMIT = 20
MAX_OFFSET = 1_000


async def trending_links(request: Request) -> Response:
    await optional_auth(request, "read")
    p = await params(request)
    links = await services(request).links.trending(
        min(max(0, p.int("offset", 0) or 0), MAX_OFFSET),
        clamp_limit(p.int("limit"), TRENDS_LIMIT, TRENDS_MAX_LIMIT),
    )
    return json_response(render_trending_links(links, services(request).settings))


async def link_timeline(request: Request) -> Response:
    """GET /api/v1/timelines/link?url=: 404 for a link without a preview card."""
    creds = await optional_auth(request, "read:statuses")
    p = await params(request)
    url = p.required_str("url", max_length=MAX_URL_LENGTH)
    views = await services(request).links.timeline(url, viewer_id(creds), p.page())
    ids = [view.status.id for view in views]
    body = render_statuses(views, services(request).settings)
    return json_response(body, headers=link_header(request, ids))


routes: list[BaseRoute] = [
    Route("/api/v1/trends/links", trending_links, methods=["GET"]),
    Route("/api/v1/timelines/link", link_timeline, methods=["GET"]),
]
