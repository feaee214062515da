"""Notification endpoints: /api/v1/notifications (and /api/v2 grouped), unread counts."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import params, services
from godwit.api.entities.notifications import (
    render_grouped,
    render_notification,
    render_notifications,
)
from godwit.api.http import Params, json_response, link_header
from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.notifications import GROUPABLE_TYPES, KNOWN_TYPES, NotificationFilter
from godwit.domain.pagination import PageRequest, clamp_limit

DEFAULT_LIMIT, MAX_LIMIT = 40, 80
UNREAD_DEFAULT_LIMIT, UNREAD_MAX_LIMIT = 100, 1000
_MAX_TYPES = 2 * len(KNOWN_TYPES)


def _filter(p: Params) -> NotificationFilter:
    """types[] / exclude_types[] / account_id. Unknown type names match nothing, as in
    Mastodon: asking only for them yields an empty list rather than an error."""
    return NotificationFilter(
        types=tuple(p.str_list("types", max_items=_MAX_TYPES)),
        exclude_types=tuple(p.str_list("exclude_types", max_items=_MAX_TYPES)),
        from_account_id=p.id("account_id"),
    )


def _notification_id(request: Request) -> int:
    notification_id = parse_id(request.path_params["id"])
    if notification_id is None:
        raise NotFound()
    return notification_id


async def _viewer(request: Request, scope: str) -> int:
    credentials = await require_user(request, scope)
    assert credentials.account_id is not None
    return credentials.account_id


async def list_notifications(request: Request) -> Response:
    viewer_id = await _viewer(request, "read:notifications")
    p = await params(request)
    wired = services(request)
    listed = await wired.notifications.listing(
        viewer_id, p.page(DEFAULT_LIMIT, MAX_LIMIT), _filter(p)
    )
    return json_response(
        render_notifications(listed.items, wired.settings),
        headers=link_header(request, listed.cursor_ids),
    )


async def get_notification(request: Request) -> Response:
    viewer_id = await _viewer(request, "read:notifications")
    wired = services(request)
    view = await wired.notifications.get(viewer_id, _notification_id(request))
    return json_response(render_notification(view, wired.settings))


async def dismiss_notification(request: Request) -> Response:
    viewer_id = await _viewer(request, "write:notifications")
    await services(request).notifications.dismiss(viewer_id, _notification_id(request))
    return json_response({})


async def clear_notifications(request: Request) -> Response:
    viewer_id = await _viewer(request, "write:notifications")
    await services(request).notifications.clear(viewer_id)
    return json_response({})


def _unread_limit(p: Params) -> int:
    return clamp_limit(p.int("limit"), UNREAD_DEFAULT_LIMIT, UNREAD_MAX_LIMIT)


async def unread_count(request: Request) -> Response:
    viewer_id = await _viewer(request, "read:notifications")
    p = await params(request)
    count = await services(request).notifications.unread_count(
        viewer_id, _unread_limit(p), _filter(p)
    )
    return json_response({"count": count})


def _grouped_types(p: Params) -> frozenset[str]:
    if "grouped_types" not in p:
        return GROUPABLE_TYPES
    return GROUPABLE_TYPES & set(p.str_list("grouped_types", max_items=_MAX_TYPES))


async def list_grouped(request: Request) -> Response:
    viewer_id = await _viewer(request, "read:notifications")
    p = await params(request)
    wired = services(request)
    page: PageRequest = p.page(DEFAULT_LIMIT, MAX_LIMIT)
    grouped = await wired.notifications.grouped(viewer_id, page, _filter(p), _grouped_types(p))
    partial = p.str("expand_accounts", "full", max_length=32) == "partial_avatars"
    return json_response(
        render_grouped(grouped, wired.settings, partial_avatars=partial),
        headers=link_header(request, grouped.cursor_ids),
    )


async def unread_group_count(request: Request) -> Response:
    viewer_id = await _viewer(request, "read:notifications")
    p = await params(request)
    count = await services(request).notifications.unread_group_count(
        viewer_id, _unread_limit(p), _filter(p), _grouped_types(p)
    )
    return json_response({"count": count})


# Literal paths before /api/v1/notifications/{id}, which would capture them.
routes: list[BaseRoute] = [
    Route("/api/v1/notifications", list_notifications, methods=["GET"]),
    Route("/api/v1/notifications/unread_count", unread_count, methods=["GET"]),
    Route("/api/v1/notifications/clear", clear_notifications, methods=["POST"]),
    Route("/api/v1/notifications/{id}", get_notification, methods=["GET"]),
    Route("/api/v1/notifications/{id}/dismiss", dismiss_notification, methods=["POST"]),
    Route("/api/v2/notifications", list_grouped, methods=["GET"]),
    Route("/api/v2/notifications/unread_count", unread_group_count, methods=["GET"]),
]
