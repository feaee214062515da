"""Status endpoints: post, show, delete, context, favourite, reblog, and who did them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import optional_auth, require_user, viewer_id
from godwit.api.context import params, services
from godwit.api.http import Params, json_response, link_header
from godwit.api.polls import poll_request
from godwit.api.scheduling import parse_scheduled_at
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.domain.media import MAX_ATTACHMENTS_PER_STATUS
from godwit.domain.posting import MAX_SPOILER_CHARS
from godwit.entities.accounts import render_accounts
from godwit.entities.scheduling import render_scheduled_status
from godwit.entities.statuses import render_status, render_statuses
from godwit.services.statuses import AccountStatusesFilter, PostRequest

MAX_TEXT_INPUT = 100_000  # raw cap before the real (configurable) character limit applies
MAX_SHORT_INPUT = 255


def _path_id(request: Request) -> int:
    """The {id} in the path; an ID that cannot exist is simply not found."""
    parsed = parse_id(request.path_params["id"])
    if parsed is None:
        raise NotFound()
    return parsed


def _post_request(request: Request, p: Params) -> PostRequest:
    key = request.headers.get("idempotency-key", "").strip()
    return PostRequest(
        text=p.str("status", "", max_length=MAX_TEXT_INPUT) or "",
        spoiler_text=p.str("spoiler_text", "", max_length=MAX_SPOILER_CHARS) or "",
        sensitive=p.bool("sensitive"),
        visibility=p.str("visibility", max_length=MAX_SHORT_INPUT) or None,
        in_reply_to_id=p.id("in_reply_to_id"),
        language=p.str("language", max_length=MAX_SHORT_INPUT) or None,
        idempotency_key=key or None,
        poll=poll_request(p),
        quoted_status_id=p.id("quoted_status_id"),
        media_ids=tuple(p.id_list("media_ids", max_items=MAX_ATTACHMENTS_PER_STATUS)),
    )


async def create_status(request: Request) -> Response:
    """POST /api/v1/statuses."""
    creds = await require_user(request, "write:statuses")
    assert creds.account_id is not None
    p = await params(request)
    post = _post_request(request, p)
    if post.poll is not None and post.media_ids:
        raise Invalid(
            "Validation failed: a status cannot have both a poll and media",
            {"poll": [("ERR_INVALID", "cannot be combined with media")]},
        )
    scheduled_at = parse_scheduled_at(p)
    if scheduled_at is not None:
        scheduled = await services(request).scheduled_statuses.schedule(
            creds.account_id, post, scheduled_at, creds.app_id
        )
        return json_response(render_scheduled_status(scheduled))
    view = await services(request).statuses.create(
        creds.account_id, post, application_id=creds.app_id
    )
    return json_response(render_status(view, services(request).settings))


async def show_status(request: Request) -> Response:
    """GET /api/v1/statuses/:id (public statuses without a token)."""
    creds = await optional_auth(request, "read:statuses")
    view = await services(request).statuses.get(_path_id(request), viewer_id(creds))
    return json_response(render_status(view, services(request).settings))


async def delete_status(request: Request) -> Response:
    """DELETE /api/v1/statuses/:id: the answer carries the source text for redraft."""
    creds = await require_user(request, "write:statuses")
    assert creds.account_id is not None
    view = await services(request).statuses.delete(_path_id(request), creds.account_id)
    return json_response(render_status(view, services(request).settings, with_source=True))


async def status_context(request: Request) -> Response:
    """GET /api/v1/statuses/:id/context."""
    creds = await optional_auth(request, "read:statuses")
    thread = await services(request).statuses.context(_path_id(request), viewer_id(creds))
    settings = services(request).settings
    return json_response(
        {
            "ancestors": render_statuses(thread.ancestors, settings),
            "descendants": render_statuses(thread.descendants, settings),
        }
    )


async def favourite(request: Request) -> Response:
    creds = await require_user(request, "write:favourites")
    assert creds.account_id is not None
    view = await services(request).statuses.favourite(_path_id(request), creds.account_id)
    return json_response(render_status(view, services(request).settings))


async def unfavourite(request: Request) -> Response:
    creds = await require_user(request, "write:favourites")
    assert creds.account_id is not None
    view = await services(request).statuses.unfavourite(_path_id(request), creds.account_id)
    return json_response(render_status(view, services(request).settings))


async def reblog(request: Request) -> Response:
    creds = await require_user(request, "write:statuses")
    assert creds.account_id is not None
    p = await params(request)
    visibility = p.str("visibility", max_length=MAX_SHORT_INPUT) or None
    view = await services(request).statuses.reblog(_path_id(request), creds.account_id, visibility)
    return json_response(render_status(view, services(request).settings))


async def unreblog(request: Request) -> Response:
    creds = await require_user(request, "write:statuses")
    assert creds.account_id is not None
    view = await services(request).statuses.unreblog(_path_id(request), creds.account_id)
    return json_response(render_status(view, services(request).settings))


async def favourited_by(request: Request) -> Response:
    creds = await optional_auth(request, "read:accounts")
    page = (await params(request)).page(default_limit=40, max_limit=80)
    accounts, cursors = await services(request).statuses.favourited_by(
        _path_id(request), viewer_id(creds), page
    )
    rendered = render_accounts(accounts, services(request).settings)
    return json_response(rendered, headers=link_header(request, cursors))


async def reblogged_by(request: Request) -> Response:
    creds = await optional_auth(request, "read:accounts")
    page = (await params(request)).page(default_limit=40, max_limit=80)
    accounts, cursors = await services(request).statuses.reblogged_by(
        _path_id(request), viewer_id(creds), page
    )
    rendered = render_accounts(accounts, services(request).settings)
    return json_response(rendered, headers=link_header(request, cursors))


async def account_statuses(request: Request) -> Response:
    """GET /api/v1/accounts/:id/statuses."""
    creds = await optional_auth(request, "read:statuses")
    p = await params(request)
    wanted = AccountStatusesFilter(
        pinned=bool(p.bool("pinned", False)),
        exclude_replies=bool(p.bool("exclude_replies", False)),
        exclude_reblogs=bool(p.bool("exclude_reblogs", False)),
        only_media=bool(p.bool("only_media", False)),
        tagged=(p.str("tagged", max_length=MAX_SHORT_INPUT) or "").strip().lstrip("#") or None,
    )
    views = await services(request).statuses.account_statuses(
        _path_id(request), viewer_id(creds), wanted, p.page(default_limit=20, max_limit=40)
    )
    settings = services(request).settings
    return json_response(
        render_statuses(views, settings),
        headers=link_header(request, [view.status.id for view in views]),
    )


routes: list[BaseRoute] = [
    Route("/api/v1/statuses", create_status, methods=["POST"]),
    Route("/api/v1/statuses/{id}", show_status, methods=["GET"]),
    Route("/api/v1/statuses/{id}", delete_status, methods=["DELETE"]),
    Route("/api/v1/statuses/{id}/context", status_context, methods=["GET"]),
    Route("/api/v1/statuses/{id}/favourite", favourite, methods=["POST"]),
    Route("/api/v1/statuses/{id}/unfavourite", unfavourite, methods=["POST"]),
    Route("/api/v1/statuses/{id}/reblog", reblog, methods=["POST"]),
    Route("/api/v1/statuses/{id}/unreblog", unreblog, methods=["POST"]),
    Route("/api/v1/statuses/{id}/favourited_by", favourited_by, methods=["GET"]),
    Route("/api/v1/statuses/{id}/reblogged_by", reblogged_by, methods=["GET"]),
    Route("/api/v1/accounts/{id}/statuses", account_statuses, methods=["GET"]),
]
