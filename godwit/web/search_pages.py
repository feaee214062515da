"""Search: people, posts and hashtags, as /api/v2/search finds them.

A plain GET form, so it works without JavaScript and a search can be bookmarked. Visitors
may search too, as the client API lets callers without a token: people and hashtags only,
since searching posts needs a signed-in member (Mastodon's rule, kept by the service).
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from godwit.entities.accounts import render_accounts
from godwit.entities.statuses import render_statuses
from godwit.entities.tags import render_tags
from godwit.services.search import MAX_OFFSET, SEARCH_TYPES, SearchRequest
from godwit.web.context import services
from godwit.web.endpoint import web_route
from godwit.web.feeds import current_path
from godwit.web.pages import render
from godwit.web.session import current_viewer

MAX_QUERY_LENGTH = 1_000  # as the client API's search
PREVIEW_LIMIT = 5  # per kind, when all three are shown
PAGE_LIMIT = 20  # when one kind is shown, with a link to the next page
TABS = (("", "All"), ("accounts", "People"), ("statuses", "Posts"), ("hashtags", "Hashtags"))


def clean_query(raw: str) -> str:
    """The query as searched: control characters (NUL included, which PostgreSQL refuses
    in text) become spaces; the rest of Unicode is searched as typed."""
    return "".join(" " if unicodedata.category(char) == "Cc" else char for char in raw).strip()


def _offset(raw: str | None) -> int:
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        return 0
    return min(int(raw), MAX_OFFSET)


async def search_page(request: Request) -> Response:
    viewer = await current_viewer(request)
    viewer_id = viewer.account_id if viewer else None
    raw = request.query_params.get("q", "")
    kind = request.query_params.get("type", "")
    kind = kind if kind in SEARCH_TYPES else ""
    query = clean_query(raw[: MAX_QUERY_LENGTH + 1])
    context: dict[str, Any] = {
        "q": query[:MAX_QUERY_LENGTH],
        "kind": kind,
        "tabs": TABS,
        "searched": False,
        "error": None,
        "members_only_posts": viewer is None,
        "domain": services(request).settings.domain,
    }
    if len(query) > MAX_QUERY_LENGTH:
        context["error"] = f"Search for at most {MAX_QUERY_LENGTH:,} characters."
        return await render(request, "search.html", context, status_code=422)
    if not query:
        return await render(request, "search.html", context)
    # Deeper pages need a member (the service's rule): a visitor sees the first page only.
    offset = _offset(request.query_params.get("offset")) if kind and viewer else 0
    limit = PAGE_LIMIT if kind else PREVIEW_LIMIT
    found = await services(request).search.search(
        SearchRequest(query=query, type=kind or None, limit=limit, offset=offset), viewer_id
    )
    settings = services(request).settings
    hashtags = render_tags(found.hashtags, settings)
    results = {
        "accounts": render_accounts(found.accounts, settings),
        "statuses": render_statuses(found.statuses, settings),
        "hashtags": [{"tag": tag, "uses": _weekly_uses(tag)} for tag in hashtags],
    }
    full = bool(kind) and viewer is not None and len(results[kind]) >= limit
    context.update(
        {
            "searched": True,
            "results": results,
            "return_to": current_path(request),
            # With all three kinds shown, a full preview links to the whole list of its kind.
            "more_url": {
                name: _url(query, type=name)
                for name in SEARCH_TYPES
                if not kind and len(results[name]) >= limit
            },
            "next_url": _url(query, type=kind, offset=str(offset + limit))
            if full and offset + limit < MAX_OFFSET
            else None,
        }
    )
    return await render(request, "search.html", context)


def _weekly_uses(tag: dict[str, Any]) -> int:
    return sum(int(day["uses"]) for day in tag.get("history", []))


def _url(query: str, **params: str) -> str:
    return "/search?" + urlencode({"q": query, **params})


routes = [web_route("/search", search_page)]
