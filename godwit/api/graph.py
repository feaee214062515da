"""Graph endpoints: follow, follow requests, block, mute, relationships and account lists.

Account lists (followers, following, blocks, mutes, follow requests) page by the internal
row id, which clients only ever see inside the Link header, as with Mastodon.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import optional_auth, require_user, viewer_id
from godwit.api.context import params, services
from godwit.api.http import json_response, link_header
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.graph import Relationship
from godwit.domain.ids import parse_id
from godwit.domain.oauth import Credentials
from godwit.entities.accounts import render_accounts
from godwit.entities.relationships import render_relationship, render_relationships
from godwit.services.graph import ListedAccount

ACCOUNTS_LIMIT = 40
ACCOUNTS_MAX_LIMIT = 80
MAX_RELATIONSHIP_IDS = 1000


def _me(creds: Credentials) -> int:
    """The caller's account (``require_user`` guarantees there is one)."""
    assert creds.account_id is not None
    return creds.account_id


def _path_id(request: Request, name: str = "id") -> int:
    """An account id from the path; a malformed one names nothing, so it is a 404."""
    parsed = parse_id(request.path_params.get(name))
    if parsed is None:
        raise NotFound()
    return parsed


def _relationship_response(rel: Relationship) -> Response:
    return json_response(render_relationship(rel))


def _accounts_response(request: Request, listed: Sequence[ListedAccount]) -> Response:
    settings = services(request).settings
    body = render_accounts([item.account for item in listed], settings)
    return json_response(body, headers=link_header(request, [item.cursor for item in listed]))


# -- following ---------------------------------------------------------------------------


async def follow(request: Request) -> Response:
    creds = await require_user(request, "write:follows")
    p = await params(request)
    target_id = _path_id(request)
    languages = p.str_list("languages") if "languages" in p else None
    rel = await services(request).graph.follow(
        _me(creds),
        target_id,
        reblogs=p.bool("reblogs"),
        notify_posts=p.bool("notify"),
        languages=languages,
    )
    return _relationship_response(rel)


async def unfollow(request: Request) -> Response:
    creds = await require_user(request, "write:follows")
    rel = await services(request).graph.unfollow(_me(creds), _path_id(request))
    return _relationship_response(rel)


async def remove_from_followers(request: Request) -> Response:
    creds = await require_user(request, "write:follows")
    graph = services(request).graph
    rel = await graph.remove_from_followers(_me(creds), _path_id(request))
    return _relationship_response(rel)


# -- follow requests ---------------------------------------------------------------------


async def follow_requests(request: Request) -> Response:
    creds = await require_user(request, "read:follows")
    page = (await params(request)).page(ACCOUNTS_LIMIT, ACCOUNTS_MAX_LIMIT)
    listed = await services(request).graph.follow_requests(_me(creds), page)
    return _accounts_response(request, listed)


async def authorize_follow_request(request: Request) -> Response:
    creds = await require_user(request, "write:follows")
    rel = await services(request).graph.authorize(_me(creds), _path_id(request))
    return _relationship_response(rel)


async def reject_follow_request(request: Request) -> Response:
    creds = await require_user(request, "write:follows")
    rel = await services(request).graph.reject(_me(creds), _path_id(request))
    return _relationship_response(rel)


# -- blocks and mutes --------------------------------------------------------------------


async def block(request: Request) -> Response:
    creds = await require_user(request, "write:blocks")
    rel = await services(request).graph.block(_me(creds), _path_id(request))
    return _relationship_response(rel)


async def unblock(request: Request) -> Response:
    creds = await require_user(request, "write:blocks")
    rel = await services(request).graph.unblock(_me(creds), _path_id(request))
    return _relationship_response(rel)


async def mute(request: Request) -> Response:
    creds = await require_user(request, "write:mutes")
    p = await params(request)
    target_id = _path_id(request)
    rel = await services(request).graph.mute(
        _me(creds),
        target_id,
        hide_notifications=bool(p.bool("notifications", True)),
        duration_seconds=p.int("duration"),
    )
    return _relationship_response(rel)


async def unmute(request: Request) -> Response:
    creds = await require_user(request, "write:mutes")
    rel = await services(request).graph.unmute(_me(creds), _path_id(request))
    return _relationship_response(rel)


async def blocks(request: Request) -> Response:
    creds = await require_user(request, "read:blocks")
    page = (await params(request)).page(ACCOUNTS_LIMIT, ACCOUNTS_MAX_LIMIT)
    return _accounts_response(request, await services(request).graph.blocks(_me(creds), page))


async def mutes(request: Request) -> Response:
    creds = await require_user(request, "read:mutes")
    page = (await params(request)).page(ACCOUNTS_LIMIT, ACCOUNTS_MAX_LIMIT)
    return _accounts_response(request, await services(request).graph.mutes(_me(creds), page))


# -- reading -----------------------------------------------------------------------------


async def relationships(request: Request) -> Response:
    creds = await require_user(request, "read:follows")
    raw = (await params(request)).list("id")
    if len(raw) > MAX_RELATIONSHIP_IDS:
        raise Invalid(
            "Validation failed: id has too many items",
            {"id": [("ERR_TOO_LONG", f"has too many items (maximum is {MAX_RELATIONSHIP_IDS})")]},
        )
    if not all(isinstance(item, str | int) for item in raw):
        raise Invalid(
            "Validation failed: id must be a list of IDs",
            {"id": [("ERR_INVALID", "must be a list of IDs")]},
        )
    # A malformed id names no account, so it is skipped like an unknown one.
    ids = [parsed for parsed in (parse_id(item) for item in raw) if parsed is not None]
    rels = await services(request).graph.relationships(_me(creds), ids)
    return json_response(render_relationships(rels))


async def followers(request: Request) -> Response:
    creds = await optional_auth(request, "read:accounts")
    page = (await params(request)).page(ACCOUNTS_LIMIT, ACCOUNTS_MAX_LIMIT)
    listed = await services(request).graph.followers(_path_id(request), viewer_id(creds), page)
    return _accounts_response(request, listed)


async def following(request: Request) -> Response:
    creds = await optional_auth(request, "read:accounts")
    page = (await params(request)).page(ACCOUNTS_LIMIT, ACCOUNTS_MAX_LIMIT)
    listed = await services(request).graph.following(_path_id(request), viewer_id(creds), page)
    return _accounts_response(request, listed)


# Literal paths first: /api/v1/accounts/relationships must never reach an {id} route.
routes: list[BaseRoute] = [
    Route("/api/v1/accounts/relationships", relationships, methods=["GET"]),
    Route("/api/v1/accounts/{id}/follow", follow, methods=["POST"]),
    Route("/api/v1/accounts/{id}/unfollow", unfollow, methods=["POST"]),
    Route("/api/v1/accounts/{id}/remove_from_followers", remove_from_followers, methods=["POST"]),
    Route("/api/v1/accounts/{id}/block", block, methods=["POST"]),
    Route("/api/v1/accounts/{id}/unblock", unblock, methods=["POST"]),
    Route("/api/v1/accounts/{id}/mute", mute, methods=["POST"]),
    Route("/api/v1/accounts/{id}/unmute", unmute, methods=["POST"]),
    Route("/api/v1/accounts/{id}/followers", followers, methods=["GET"]),
    Route("/api/v1/accounts/{id}/following", following, methods=["GET"]),
    Route("/api/v1/follow_requests", follow_requests, methods=["GET"]),
    Route("/api/v1/follow_requests/{id}/authorize", authorize_follow_request, methods=["POST"]),
    Route("/api/v1/follow_requests/{id}/reject", reject_follow_request, methods=["POST"]),
    Route("/api/v1/blocks", blocks, methods=["GET"]),
    Route("/api/v1/mutes", mutes, methods=["GET"]),
]
