"""Hashtags: follow and unfollow, followed tags, featured tags (also featured by name, as
Mastodon 4.4 does) and trending tags."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import optional_auth, require_user, viewer_id
from godwit.api.context import params, services
from godwit.api.http import json_response, link_header
from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.pagination import clamp_limit
from godwit.entities.discovery import render_featured_tag, render_tag_view, render_tag_views

FOLLOWED_TAGS_LIMIT = 100
FOLLOWED_TAGS_MAX_LIMIT = 200
TRENDS_LIMIT = 10
TRENDS_MAX_LIMIT = 20
MAX_TRENDS_OFFSET = 200


def _me(account_id: int | None) -> int:
    assert account_id is not None  # require_user guarantees a member
    return account_id


def _path_id(request: Request, name: str = "id") -> int:
    parsed = parse_id(request.path_params.get(name))
    if parsed is None:
        raise NotFound()
    return parsed


async def follow_tag(request: Request) -> Response:
    creds = await require_user(request, "write:follows")
    view = await services(request).tags.follow(_me(creds.account_id), request.path_params["name"])
    return json_response(render_tag_view(view, services(request).settings))


async def unfollow_tag(request: Request) -> Response:
    creds = await require_user(request, "write:follows")
    view = await services(request).tags.unfollow(_me(creds.account_id), request.path_params["name"])
    return json_response(render_tag_view(view, services(request).settings))


async def followed_tags(request: Request) -> Response:
    creds = await require_user(request, "read:follows")
    page = (await params(request)).page(FOLLOWED_TAGS_LIMIT, FOLLOWED_TAGS_MAX_LIMIT)
    followed = await services(request).tags.followed(_me(creds.account_id), page)
    body = render_tag_views([item.view for item in followed], services(request).settings)
    return json_response(body, headers=link_header(request, [item.cursor for item in followed]))


async def my_featured_tags(request: Request) -> Response:
    creds = await require_user(request, "read:accounts")
    return await _featured_of(request, _me(creds.account_id))


async def account_featured_tags(request: Request) -> Response:
    await optional_auth(request, "read:accounts")
    return await _featured_of(request, _path_id(request))


async def _featured_of(request: Request, account_id: int) -> Response:
    featured = await services(request).tags.featured(account_id)
    owner = await services(request).accounts.get(account_id)
    settings = services(request).settings
    return json_response([render_featured_tag(item, owner, settings) for item in featured])


async def feature_tag(request: Request) -> Response:
    creds = await require_user(request, "write:accounts")
    name = (await params(request)).required_str("name", max_length=1000)
    me = _me(creds.account_id)
    featured = await services(request).tags.feature(me, name)
    owner = await services(request).accounts.get(me)
    return json_response(render_featured_tag(featured, owner, services(request).settings))


async def unfeature_tag(request: Request) -> Response:
    creds = await require_user(request, "write:accounts")
    await services(request).tags.unfeature(_me(creds.account_id), _path_id(request))
    return json_response({})


async def feature_tag_by_name(request: Request) -> Response:
    """Mastodon 4.4's way to feature a tag: by name, answering the Tag."""
    creds = await require_user(request, "write:accounts")
    tags = services(request).tags
    view = await tags.feature_by_name(_me(creds.account_id), request.path_params["name"])
    return json_response(render_tag_view(view, services(request).settings))


async def unfeature_tag_by_name(request: Request) -> Response:
    creds = await require_user(request, "write:accounts")
    tags = services(request).tags
    view = await tags.unfeature_by_name(_me(creds.account_id), request.path_params["name"])
    return json_response(render_tag_view(view, services(request).settings))


async def featured_tag_suggestions(request: Request) -> Response:
    creds = await require_user(request, "read:accounts")
    views = await services(request).tags.feature_suggestions(_me(creds.account_id))
    return json_response(render_tag_views(views, services(request).settings))


async def trending_tags(request: Request) -> Response:
    creds = await optional_auth(request, "read")
    p = await params(request)
    limit = clamp_limit(p.int("limit"), TRENDS_LIMIT, TRENDS_MAX_LIMIT)
    offset = min(max(0, p.int("offset", 0) or 0), MAX_TRENDS_OFFSET)
    views = await services(request).tags.trending(viewer_id(creds), offset, limit)
    return json_response(render_tag_views(views, services(request).settings))


routes: list[BaseRoute] = [
    Route("/api/v1/tags/{name}/follow", follow_tag, methods=["POST"]),
    Route("/api/v1/tags/{name}/unfollow", unfollow_tag, methods=["POST"]),
    Route("/api/v1/tags/{name}/feature", feature_tag_by_name, methods=["POST"]),
    Route("/api/v1/tags/{name}/unfeature", unfeature_tag_by_name, methods=["POST"]),
    Route("/api/v1/followed_tags", followed_tags, methods=["GET"]),
    Route("/api/v1/featured_tags", my_featured_tags, methods=["GET"]),
    Route("/api/v1/featured_tags", feature_tag, methods=["POST"]),
    Route("/api/v1/featured_tags/suggestions", featured_tag_suggestions, methods=["GET"]),
    Route("/api/v1/featured_tags/{id}", unfeature_tag, methods=["DELETE"]),
    Route("/api/v1/accounts/{id}/featured_tags", account_featured_tags, methods=["GET"]),
    Route("/api/v1/trends/tags", trending_tags, methods=["GET"]),
    # Mastodon's older path for the same list.
    Route("/api/v1/trends", trending_tags, methods=["GET"]),
]
