"""Grouped notifications (API v2): /api/v2/notifications, one group, its accounts, dismiss,
and the unread group count."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.context import params, services
from godwit.api.http import Params, json_response, link_header
from godwit.api.notifications import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    notification_filter,
    unread_limit,
    viewer_id,
)
from godwit.domain.errors import Invalid
from godwit.domain.notifications import GROUPABLE_TYPES, KNOWN_TYPES
from godwit.entities.accounts import render_account
from godwit.entities.notification_groups import render_grouped

ACCOUNTS_DEFAULT_LIMIT, ACCOUNTS_MAX_LIMIT = 40, 80
_EXPAND_ACCOUNTS = ("full", "partial_avatars")


def _grouped_types(p: Params) -> frozenset[str]:
    """grouped_types[]: which types may be grouped (all groupable ones when absent)."""
    if "grouped_types" not in p:
        return GROUPABLE_TYPES
    return GROUPABLE_TYPES & set(p.str_list("grouped_types", max_items=2 * len(KNOWN_TYPES)))


def _partial_avatars(p: Params) -> bool:
    expand = p.str("expand_accounts", "full", max_length=32)
    if expand not in _EXPAND_ACCOUNTS:
        raise Invalid(
            "Invalid value for 'expand_accounts', allowed values are 'full' and 'partial_avatars'",
            {"expand_accounts": [("ERR_INCLUSION", "must be full or partial_avatars")]},
        )
    return expand == "partial_avatars"


def _group_key(request: Request) -> str:
    return str(request.path_params["group_key"])


async def list_groups(request: Request) -> Response:
    viewer = await viewer_id(request, "read:notifications")
    p = await params(request)
    wired = services(request)
    partial = _partial_avatars(p)
    grouped = await wired.notification_groups.page(
        viewer,
        p.page(DEFAULT_LIMIT, MAX_LIMIT),
        notification_filter(p, listing=True),
        _grouped_types(p),
    )
    return json_response(
        render_grouped(grouped, wired.settings, partial_avatars=partial),
        headers=link_header(request, grouped.cursor_ids),
    )


async def get_group(request: Request) -> Response:
    viewer = await viewer_id(request, "read:notifications")
    wired = services(request)
    grouped = await wired.notification_groups.group(viewer, _group_key(request))
    return json_response(render_grouped(grouped, wired.settings))


async def group_accounts(request: Request) -> Response:
    # Mastodon checks read:notifications here (the document's write: is a slip).
    viewer = await viewer_id(request, "read:notifications")
    p = await params(request)
    wired = services(request)
    found = await wired.notification_groups.accounts(
        viewer, _group_key(request), p.page(ACCOUNTS_DEFAULT_LIMIT, ACCOUNTS_MAX_LIMIT)
    )
    return json_response(
        [render_account(account, wired.settings) for account in found.accounts],
        headers=link_header(request, found.cursor_ids),
    )


async def dismiss_group(request: Request) -> Response:
    viewer = await viewer_id(request, "write:notifications")
    await services(request).notification_groups.dismiss(viewer, _group_key(request))
    return json_response({})


async def unread_group_count(request: Request) -> Response:
    viewer = await viewer_id(request, "read:notifications")
    p = await params(request)
    count = await services(request).notification_groups.unread_count(
        viewer, unread_limit(p), notification_filter(p), _grouped_types(p)
    )
    return json_response({"count": count})


# Literal paths (and api/notification_requests.py's /policy) before /{group_key}.
routes: list[BaseRoute] = [
    Route("/api/v2/notifications", list_groups, methods=["GET"]),
    Route("/api/v2/notifications/unread_count", unread_group_count, methods=["GET"]),
    Route("/api/v2/notifications/{group_key}", get_group, methods=["GET"]),
    Route("/api/v2/notifications/{group_key}/accounts", group_accounts, methods=["GET"]),
    Route("/api/v2/notifications/{group_key}/dismiss", dismiss_group, methods=["POST"]),
]
