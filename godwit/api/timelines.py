"""Timeline endpoints: home, public and hashtag, paginated as Mastodon does."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import optional_auth, require_user, viewer_id
from godwit.api.context import params, services
from godwit.api.http import Params, json_response, link_header
from godwit.domain.posts import StatusView
from godwit.domain.timelines import TimelineScope, normalise_tag
from godwit.entities.statuses import render_statuses

MAX_TAG_LENGTH = 255
MAX_EXTRA_TAGS = 10


def _page_response(request: Request, views: Sequence[StatusView]) -> Response:
    settings = services(request).settings
    ids = [view.status.id for view in views]
    return json_response(render_statuses(views, settings), headers=link_header(request, ids))


def _scope(p: Params) -> str:
    return TimelineScope.of(p.bool("local", False), p.bool("remote", False))


def _tags(p: Params, name: str) -> list[str]:
    names = [normalise_tag(tag) for tag in p.str_list(name, max_items=MAX_EXTRA_TAGS)]
    return [tag for tag in names if tag and len(tag) <= MAX_TAG_LENGTH]


async def home_timeline(request: Request) -> Response:
    """GET /api/v1/timelines/home."""
    creds = await require_user(request, "read:statuses")
    assert creds.account_id is not None
    p = await params(request)
    views = await services(request).timelines.home(creds.account_id, p.page())
    return _page_response(request, views)


async def public_timeline(request: Request) -> Response:
    """GET /api/v1/timelines/public: no token needed; a token sent must hold read:statuses."""
    creds = await optional_auth(request, "read:statuses")
    p = await params(request)
    views = await services(request).timelines.public(
        viewer_id(creds),
        p.page(),
        scope=_scope(p),
        only_media=bool(p.bool("only_media", False)),
    )
    return _page_response(request, views)


async def tag_timeline(request: Request) -> Response:
    """GET /api/v1/timelines/tag/{hashtag} with any[], all[] and none[]."""
    creds = await optional_auth(request, "read:statuses")
    p = await params(request)
    page = p.page()
    tag = normalise_tag(str(request.path_params["hashtag"]))[:MAX_TAG_LENGTH]
    any_tags = _tags(p, "any")
    all_tags = _tags(p, "all")
    none_tags = _tags(p, "none")
    views = await services(request).timelines.tag(
        viewer_id(creds),
        page,
        tags=[tag, *any_tags] if tag else [],
        all_tags=all_tags,
        none_tags=none_tags,
        scope=_scope(p),
        only_media=bool(p.bool("only_media", False)),
    )
    return _page_response(request, views)


routes: list[BaseRoute] = [
    Route("/api/v1/timelines/home", home_timeline, methods=["GET"]),
    Route("/api/v1/timelines/public", public_timeline, methods=["GET"]),
    Route("/api/v1/timelines/tag/{hashtag}", tag_timeline, methods=["GET"]),
]
