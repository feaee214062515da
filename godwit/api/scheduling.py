"""Scheduled statuses and conversations (direct-message threads)."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import params, services
from godwit.api.http import Params, json_response, link_header
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.entities.scheduling import render_conversation, render_scheduled_status


def _path_id(request: Request) -> int:
    parsed = parse_id(request.path_params["id"])
    if parsed is None:
        raise NotFound()
    return parsed


def parse_scheduled_at(p: Params) -> dt.datetime | None:
    """``scheduled_at`` as an aware UTC datetime (ISO 8601), None when absent."""
    raw = p.str("scheduled_at", max_length=64)
    if raw is None or not raw.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(
            "Validation failed: scheduled_at is not a valid date",
            {"scheduled_at": [("ERR_INVALID", "is not a valid date")]},
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


async def list_scheduled(request: Request) -> Response:
    creds = await require_user(request, "read:statuses")
    assert creds.account_id is not None
    page = (await params(request)).page(default_limit=20, max_limit=40)
    found = await services(request).scheduled_statuses.list(creds.account_id, page)
    return json_response(
        [render_scheduled_status(s) for s in found],
        headers=link_header(request, [s.id for s in found]),
    )


async def show_scheduled(request: Request) -> Response:
    creds = await require_user(request, "read:statuses")
    assert creds.account_id is not None
    found = await services(request).scheduled_statuses.get(_path_id(request), creds.account_id)
    return json_response(render_scheduled_status(found))


async def reschedule(request: Request) -> Response:
    creds = await require_user(request, "write:statuses")
    assert creds.account_id is not None
    when = parse_scheduled_at(await params(request))
    if when is None:
        raise Invalid(
            "Validation failed: scheduled_at is required",
            {"scheduled_at": [("ERR_BLANK", "can't be blank")]},
        )
    found = await services(request).scheduled_statuses.reschedule(
        _path_id(request), creds.account_id, when
    )
    return json_response(render_scheduled_status(found))


async def delete_scheduled(request: Request) -> Response:
    creds = await require_user(request, "write:statuses")
    assert creds.account_id is not None
    await services(request).scheduled_statuses.delete(_path_id(request), creds.account_id)
    return json_response({})


async def list_conversations(request: Request) -> Response:
    creds = await require_user(request, "read:statuses")
    assert creds.account_id is not None
    page = (await params(request)).page(default_limit=20, max_limit=40)
    views = await services(request).conversations.list(creds.account_id, page)
    settings = services(request).settings
    return json_response(
        [render_conversation(view, settings) for view in views],
        # Pages go by the conversations' last statuses, as in Mastodon.
        headers=link_header(request, [view.conversation.last_status_id for view in views]),
    )


async def delete_conversation(request: Request) -> Response:
    creds = await require_user(request, "write:conversations")
    assert creds.account_id is not None
    await services(request).conversations.delete(_path_id(request), creds.account_id)
    return json_response({})


async def read_conversation(request: Request) -> Response:
    creds = await require_user(request, "write:conversations")
    assert creds.account_id is not None
    view = await services(request).conversations.mark_read(_path_id(request), creds.account_id)
    return json_response(render_conversation(view, services(request).settings))


routes: list[BaseRoute] = [
    Route("/api/v1/scheduled_statuses", list_scheduled, methods=["GET"]),
    Route("/api/v1/scheduled_statuses/{id}", show_scheduled, methods=["GET"]),
    Route("/api/v1/scheduled_statuses/{id}", reschedule, methods=["PUT"]),
    Route("/api/v1/scheduled_statuses/{id}", delete_scheduled, methods=["DELETE"]),
    Route("/api/v1/conversations", list_conversations, methods=["GET"]),
    Route("/api/v1/conversations/{id}", delete_conversation, methods=["DELETE"]),
    Route("/api/v1/conversations/{id}/read", read_conversation, methods=["POST"]),
]
