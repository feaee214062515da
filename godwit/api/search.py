"""Search endpoints: /api/v2/search and the hashtag entity at /api/v1/tags/:name."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import optional_auth, viewer_id
from godwit.api.context import params, services
from godwit.api.http import json_response
from godwit.domain.errors import Forbidden, Invalid
from godwit.entities.accounts import render_accounts
from godwit.entities.statuses import render_statuses
from godwit.entities.tags import render_tag, render_tags
from godwit.services.search import SEARCH_TYPES, SearchRequest

MAX_QUERY_LENGTH = 1_000
DEFAULT_LIMIT = 20
MAX_LIMIT = 40


def _invalid(field: str, description: str) -> Invalid:
    return Invalid(
        f"Validation failed: {field} {description}", {field: [("ERR_INVALID", description)]}
    )


async def search(request: Request) -> Response:
    creds = await optional_auth(request, "read:search")
    viewer = viewer_id(creds)
    p = await params(request)
    query = p.required_str("q", max_length=MAX_QUERY_LENGTH)
    kind = p.str("type", max_length=32) or None
    if kind is not None and kind not in SEARCH_TYPES:
        raise _invalid("type", "must be one of accounts, statuses, hashtags")
    limit = p.int("limit", DEFAULT_LIMIT)
    offset = p.int("offset", 0) or 0
    if limit is None or limit < 1:
        raise _invalid("limit", "must be positive")
    if offset < 0:
        raise _invalid("offset", "must not be negative")
    # Accepted (a member's token is needed for it, as in Mastodon) but nothing remote is
    # fetched until federation exists.
    resolve = bool(p.bool("resolve", False))
    p.bool("exclude_unreviewed")  # accepted; every local hashtag counts as reviewed
    request_ = SearchRequest(
        query=query,
        type=kind,
        limit=min(limit, MAX_LIMIT),
        offset=offset,
        account_id=p.id("account_id"),
        following=bool(p.bool("following", False)),
        resolve=resolve,
        max_id=p.id("max_id"),
        min_id=p.id("min_id"),
    )
    found = await services(request).search.search(request_, viewer)
    settings = services(request).settings
    return json_response(
        {
            "accounts": render_accounts(found.accounts, settings),
            "statuses": render_statuses(found.statuses, settings),
            "hashtags": render_tags(found.hashtags, settings),
        }
    )


async def show_tag(request: Request) -> Response:
    # Public, as in Mastodon: no token or scope is needed to look at a hashtag; a member's
    # token (of any scope) adds whether they follow it.
    try:
        viewer = viewer_id(await optional_auth(request, "read"))
    except Forbidden:
        viewer = None
    tag = await services(request).search.tag(request.path_params["name"], viewer)
    return json_response(render_tag(tag, services(request).settings))


routes: list[BaseRoute] = [
    Route("/api/v2/search", search, methods=["GET"]),
    Route("/api/v1/tags/{name}", show_tag, methods=["GET"]),
]
