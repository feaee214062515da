"""List endpoints: CRUD, members, the lists holding an account, and the list timeline."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import params, services
from godwit.api.http import json_response, link_header
from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.lists import MAX_TITLE_LENGTH, RepliesPolicy, parse_replies_policy
from godwit.domain.oauth import Credentials
from godwit.entities.accounts import render_accounts
from godwit.entities.lists import render_list, render_lists
from godwit.entities.statuses import render_statuses

MEMBERS_LIMIT = 40
MEMBERS_MAX_LIMIT = 80
MAX_ACCOUNT_IDS = 250


def _me(creds: Credentials) -> int:
    """The caller's account (``require_user`` guarantees there is one)."""
    assert creds.account_id is not None
    return creds.account_id


def _path_id(request: Request, name: str = "id") -> int:
    """An id from the path; a malformed one names nothing, so it is a 404."""
    parsed = parse_id(request.path_params.get(name))
    if parsed is None:
        raise NotFound()
    return parsed


async def index(request: Request) -> Response:
    """GET /api/v1/lists."""
    creds = await require_user(request, "read:lists")
    return json_response(render_lists(await services(request).lists.owned(_me(creds))))


async def create(request: Request) -> Response:
    """POST /api/v1/lists."""
    creds = await require_user(request, "write:lists")
    p = await params(request)
    created = await services(request).lists.create(
        _me(creds),
        p.str("title", max_length=MAX_TITLE_LENGTH * 4),
        parse_replies_policy(p.str("replies_policy"), RepliesPolicy.LIST),
        bool(p.bool("exclusive", False)),
    )
    return json_response(render_list(created))


async def show(request: Request) -> Response:
    """GET /api/v1/lists/:id."""
    creds = await require_user(request, "read:lists")
    found = await services(request).lists.get(_me(creds), _path_id(request))
    return json_response(render_list(found))


async def update(request: Request) -> Response:
    """PUT /api/v1/lists/:id: only the attributes sent change."""
    creds = await require_user(request, "write:lists")
    p = await params(request)
    policy = p.str("replies_policy")
    updated = await services(request).lists.update(
        _me(creds),
        _path_id(request),
        title=p.str("title", max_length=MAX_TITLE_LENGTH * 4),
        replies_policy=None if policy is None else parse_replies_policy(policy, RepliesPolicy.LIST),
        exclusive=p.bool("exclusive"),
    )
    return json_response(render_list(updated))


async def destroy(request: Request) -> Response:
    """DELETE /api/v1/lists/:id."""
    creds = await require_user(request, "write:lists")
    await services(request).lists.delete(_me(creds), _path_id(request))
    return json_response({})


async def members(request: Request) -> Response:
    """GET /api/v1/lists/:id/accounts: paged by membership; ``limit=0`` gives every member
    without a Link header, as Mastodon does."""
    creds = await require_user(request, "read:lists")
    p = await params(request)
    page = None if p.int("limit") == 0 else p.page(MEMBERS_LIMIT, MEMBERS_MAX_LIMIT)
    listed = await services(request).lists.members(_me(creds), _path_id(request), page)
    body = render_accounts([item.account for item in listed], services(request).settings)
    headers = link_header(request, [item.cursor for item in listed]) if page else {}
    return json_response(body, headers=headers)


async def add_members(request: Request) -> Response:
    """POST /api/v1/lists/:id/accounts with account_ids[]."""
    creds = await require_user(request, "write:lists")
    p = await params(request)
    account_ids = p.id_list("account_ids", max_items=MAX_ACCOUNT_IDS)
    await services(request).lists.add_members(_me(creds), _path_id(request), account_ids)
    return json_response({})


async def remove_members(request: Request) -> Response:
    """DELETE /api/v1/lists/:id/accounts with account_ids[]."""
    creds = await require_user(request, "write:lists")
    p = await params(request)
    account_ids = p.id_list("account_ids", max_items=MAX_ACCOUNT_IDS)
    await services(request).lists.remove_members(_me(creds), _path_id(request), account_ids)
    return json_response({})


async def account_lists(request: Request) -> Response:
    """GET /api/v1/accounts/:id/lists: the caller's lists that include the account."""
    creds = await require_user(request, "read:lists")
    found = await services(request).lists.containing(_me(creds), _path_id(request))
    return json_response(render_lists(found))


async def list_timeline(request: Request) -> Response:
    """GET /api/v1/timelines/list/:list_id."""
    creds = await require_user(request, "read:lists")
    p = await params(request)
    views = await services(request).lists.timeline(
        _me(creds), _path_id(request, "list_id"), p.page()
    )
    ids = [view.status.id for view in views]
    body = render_statuses(views, services(request).settings)
    return json_response(body, headers=link_header(request, ids))


routes: list[BaseRoute] = [
    Route("/api/v1/lists", index, methods=["GET"]),
    Route("/api/v1/lists", create, methods=["POST"]),
    Route("/api/v1/lists/{id}", show, methods=["GET"]),
    Route("/api/v1/lists/{id}", update, methods=["PUT"]),
    Route("/api/v1/lists/{id}", destroy, methods=["DELETE"]),
    Route("/api/v1/lists/{id}/accounts", members, methods=["GET"]),
    Route("/api/v1/lists/{id}/accounts", add_members, methods=["POST"]),
    Route("/api/v1/lists/{id}/accounts", remove_members, methods=["DELETE"]),
    Route("/api/v1/accounts/{id}/lists", account_lists, methods=["GET"]),
    Route("/api/v1/timelines/list/{list_id}", list_timeline, methods=["GET"]),
]
