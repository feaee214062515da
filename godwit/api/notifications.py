"""Notification endpoints (API v1): /api/v1/notifications, unread counts. The grouped API v2
is api/notification_groups.py, the policy and requests api/notification_requests.py."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import params, services
from godwit.api.http import Params, json_response, link_header
from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.notifications import KNOWN_TYPES, NotificationFilter
from godwit.domain.pagination import clamp_limit
from godwit.entities.notifications import render_notification, render_notifications

DEFAULT_LIMIT, MAX_LIMIT = 40, 80
UNREAD_DEFAULT_LIMIT, UNREAD_MAX_LIMIT = 100, 1000
_MAX_TYPES = 2 * len(KNOWN_TYPES)


def notification_filter(p: Params, *, listing: bool = False) -> NotificationFilter:
    """types[] / exclude_types[] / account_id (and, for listings, include_filtered).
    Unknown type names match nothing, as in Mastodon: asking only for them yields an empty
    list rather than an error."""
    return NotificationFilter(
        types=tuple(p.str_list("types", max_items=_MAX_TYPES)),
        exclude_types=tuple(p.str_list("exclude_types", max_items=_MAX_TYPES)),
        from_account_id=p.id("account_id"),
        include_filtered=bool(listing and p.bool("include_filtered", False)),
    )


def _notification_id(request: Request) -> int:
    notification_id = parse_id(request.path_params["id"])
    if notification_id is None:
        raise NotFound()
    return notification_id


async def viewer_id(request: Request, scope: str) -> int:
    credentials = await require_user(request, scope)
    assert credentials.account_id is not None
    return credentials.account_id


async def list_notifications(request: Request) -> Response:
    viewer = await viewer_id(request, "read:notifications")
    p = await params(request)
    wired = services(request)
    listed = await wired.notifications.listing(
        viewer, p.page(DEFAULT_LIMIT, MAX_LIMIT), notification_filter(p, listing=True)
    )
    return json_response(
        render_notifications(listed.items, wired.settings),
        headers=link_header(request, listed.cursor_ids),
    )


async def get_notification(request: Request) -> Response:
    viewer = await viewer_id(request, "read:notifications")
    wired = services(request)
    view = await wired.notifications.get(viewer, _notification_id(request))
    return json_response(render_notification(view, wired.settings))


async def dismiss_notification(request: Request) -> Response:
    viewer = await viewer_id(request, "write:notifications")
    await services(request).notifications.dismiss(viewer, _notification_id(request))
    return json_response({})


async def clear_notifications(request: Request) -> Response:
    viewer = await viewer_id(request, "write:notifications")
    await services(request).notifications.clear(viewer)
    return json_response({})


def unread_limit(p: Params) -> int:
    return clamp_limit(p.int("limit"), UNREAD_DEFAULT_LIMIT, UNREAD_MAX_LIMIT)


async def unread_count(request: Request) -> Response:
    viewer = await viewer_id(request, "read:notifications")
    p = await params(request)
    count = await services(request).notifications.unread_count(
        viewer, unread_limit(p), notification_filter(p)
    )
    return json_response({"count": count})


# Literal paths before /api/v1/notifications/{id}, which would capture them (the request
# routes of api/notification_requests.py are listed before these in api/routes.py).
routes: list[BaseRoute] = [
    Route("/api/v1/notifications", list_notifications, methods=["GET"]),
    Route("/api/v1/notifications/unread_count", unread_count, methods=["GET"]),
    Route("/api/v1/notifications/clear", clear_notifications, methods=["POST"]),
    Route("/api/v1/notifications/{id}", get_notification, methods=["GET"]),
    Route("/api/v1/notifications/{id}/dismiss", dismiss_notification, methods=["POST"]),
]
