"""Bookmarks, pins and muted threads on statuses; the bookmarks and favourites lists;
several statuses by id; private notes about accounts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import optional_auth, require_user, viewer_id
from godwit.api.context import params, services
from godwit.api.http import json_response, link_header
from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.marks import MAX_NOTE_CHARS, MAX_STATUSES_BY_ID
from godwit.domain.posts import StatusView
from godwit.entities.relationships import render_relationship
from godwit.entities.statuses import render_status, render_statuses
from godwit.services.status_marks import StatusMarkService

Action = Callable[[StatusMarkService, int, int], Awaitable[StatusView]]


def _path_id(request: Request) -> int:
    parsed = parse_id(request.path_params["id"])
    if parsed is None:
        raise NotFound()
    return parsed


def _status_action(scope: str, action: Action) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that applies ``action`` to the status in the path and shows it."""

    async def endpoint(request: Request) -> Response:
        creds = await require_user(request, scope)
        assert creds.account_id is not None
        marks = services(request).status_marks
        view = await action(marks, _path_id(request), creds.account_id)
        return json_response(render_status(view, services(request).settings))

    return endpoint


async def _statuses_page(request: Request, scope: str, kind: str) -> Response:
    creds = await require_user(request, scope)
    assert creds.account_id is not None
    page = (await params(request)).page(default_limit=20, max_limit=40)
    marks = services(request).status_marks
    lister = marks.bookmarks if kind == "bookmarks" else marks.favourites
    views, cursors = await lister(creds.account_id, page)
    return json_response(
        render_statuses(views, services(request).settings),
        headers=link_header(request, cursors),
    )


async def bookmarks(request: Request) -> Response:
    """GET /api/v1/bookmarks: paginated by the bookmark's row id (Link header only)."""
    return await _statuses_page(request, "read:bookmarks", "bookmarks")


async def favourites(request: Request) -> Response:
    """GET /api/v1/favourites: paginated by the favourite's row id (Link header only)."""
    return await _statuses_page(request, "read:favourites", "favourites")


async def statuses_by_id(request: Request) -> Response:
    """GET /api/v1/statuses?id[]=: the visible ones, in the order asked."""
    creds = await optional_auth(request, "read:statuses")
    ids = (await params(request)).id_list("id", max_items=MAX_STATUSES_BY_ID)
    views = await services(request).status_marks.by_ids(ids, viewer_id(creds))
    return json_response(render_statuses(views, services(request).settings))


async def account_note(request: Request) -> Response:
    """POST /api/v1/accounts/:id/note: set (or, empty, clear) a private note."""
    creds = await require_user(request, "write:accounts")
    assert creds.account_id is not None
    comment = (await params(request)).str("comment", "", max_length=MAX_NOTE_CHARS * 4) or ""
    rel = await services(request).status_marks.set_note(
        creds.account_id, _path_id(request), comment
    )
    return json_response(render_relationship(rel))


routes: list[BaseRoute] = [
    Route("/api/v1/statuses", statuses_by_id, methods=["GET"]),
    Route(
        "/api/v1/statuses/{id}/bookmark",
        _status_action("write:bookmarks", StatusMarkService.bookmark),
        methods=["POST"],
    ),
    Route(
        "/api/v1/statuses/{id}/unbookmark",
        _status_action("write:bookmarks", StatusMarkService.unbookmark),
        methods=["POST"],
    ),
    Route(
        "/api/v1/statuses/{id}/pin",
        _status_action("write:accounts", StatusMarkService.pin),
        methods=["POST"],
    ),
    Route(
        "/api/v1/statuses/{id}/unpin",
        _status_action("write:accounts", StatusMarkService.unpin),
        methods=["POST"],
    ),
    Route(
        "/api/v1/statuses/{id}/mute",
        _status_action("write:mutes", StatusMarkService.mute_thread),
        methods=["POST"],
    ),
    Route(
        "/api/v1/statuses/{id}/unmute",
        _status_action("write:mutes", StatusMarkService.unmute_thread),
        methods=["POST"],
    ),
    Route("/api/v1/bookmarks", bookmarks, methods=["GET"]),
    Route("/api/v1/favourites", favourites, methods=["GET"]),
    Route("/api/v1/accounts/{id}/note", account_note, methods=["POST"]),
]
