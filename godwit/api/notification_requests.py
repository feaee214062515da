"""Notification policy (/api/v2/notifications/policy) and notification requests
(/api/v1/notifications/requests…), Mastodon 4.3."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.context import params, services
from godwit.api.http import Params, json_response, link_header
from godwit.api.notifications import DEFAULT_LIMIT, MAX_LIMIT, viewer_id
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.domain.notification_policy import POLICY_FIELDS
from godwit.entities.notification_policy import (
    render_policy,
    render_request,
    render_requests,
)
from godwit.services.notification_policy import MAX_BULK_REQUESTS, parse_policy_changes


async def get_policy(request: Request) -> Response:
    viewer = await viewer_id(request, "read:notifications")
    return json_response(render_policy(await services(request).notification_policy.policy(viewer)))


async def update_policy(request: Request) -> Response:
    viewer = await viewer_id(request, "write:notifications")
    p = await params(request)
    changes = parse_policy_changes({name: p.str(name, max_length=16) for name in POLICY_FIELDS})
    view = await services(request).notification_policy.update_policy(viewer, changes)
    return json_response(render_policy(view))


def _request_ids(p: Params) -> list[int]:
    """``id[]`` for the bulk endpoints. Mastodon.py 2.x sends ``id[][]`` (it appends "[]" to
    a key that already ends in it), which Rails flattens for Mastodon: accept it too."""
    items: list[Any] = []
    for item in p.list("id"):
        if isinstance(item, dict) and set(item) == {""}:
            item = item[""]
        items.extend(item if isinstance(item, list) else [item])
    if len(items) > MAX_BULK_REQUESTS:
        raise Invalid(
            f"Validation failed: id has too many items (maximum is {MAX_BULK_REQUESTS})",
            {"id": [("ERR_TOO_LONG", f"has too many items (maximum is {MAX_BULK_REQUESTS})")]},
        )
    ids = [parse_id(item) for item in items]
    if any(parsed is None for parsed in ids):
        raise Invalid(
            "Validation failed: id must be a list of IDs",
            {"id": [("ERR_INVALID", "must be a list of IDs")]},
        )
    return [parsed for parsed in ids if parsed is not None]


def _request_id(request: Request) -> int:
    request_id = parse_id(request.path_params["id"])
    if request_id is None:
        raise NotFound()
    return request_id


async def list_requests(request: Request) -> Response:
    viewer = await viewer_id(request, "read:notifications")
    p = await params(request)
    wired = services(request)
    views = await wired.notification_policy.requests(viewer, p.page(DEFAULT_LIMIT, MAX_LIMIT))
    return json_response(
        render_requests(views, wired.settings),
        headers=link_header(request, [view.request.id for view in views]),
    )


async def get_request(request: Request) -> Response:
    viewer = await viewer_id(request, "read:notifications")
    wired = services(request)
    view = await wired.notification_policy.request(viewer, _request_id(request))
    return json_response(render_request(view, wired.settings))


async def accept_request(request: Request) -> Response:
    viewer = await viewer_id(request, "write:notifications")
    await services(request).notification_policy.accept(viewer, [_request_id(request)])
    return json_response({})


async def dismiss_request(request: Request) -> Response:
    viewer = await viewer_id(request, "write:notifications")
    await services(request).notification_policy.dismiss(viewer, [_request_id(request)])
    return json_response({})


async def accept_requests(request: Request) -> Response:
    viewer = await viewer_id(request, "write:notifications")
    p = await params(request)
    ids = _request_ids(p)
    await services(request).notification_policy.accept(viewer, ids)
    return json_response({})


async def dismiss_requests(request: Request) -> Response:
    viewer = await viewer_id(request, "write:notifications")
    p = await params(request)
    ids = _request_ids(p)
    await services(request).notification_policy.dismiss(viewer, ids)
    return json_response({})


async def merged(request: Request) -> Response:
    """Accepting merges the filtered notifications in the same transaction: always done."""
    await viewer_id(request, "read:notifications")
    return json_response({"merged": True})


# Before /api/v1/notifications/{id} and /api/v2/notifications/{group_key} (api/routes.py).
routes: list[BaseRoute] = [
    Route("/api/v2/notifications/policy", get_policy, methods=["GET"]),
    Route("/api/v2/notifications/policy", update_policy, methods=["PATCH"]),
    Route("/api/v1/notifications/requests", list_requests, methods=["GET"]),
    Route("/api/v1/notifications/requests/merged", merged, methods=["GET"]),
    Route("/api/v1/notifications/requests/accept", accept_requests, methods=["POST"]),
    Route("/api/v1/notifications/requests/dismiss", dismiss_requests, methods=["POST"]),
    Route("/api/v1/notifications/requests/{id}", get_request, methods=["GET"]),
    Route("/api/v1/notifications/requests/{id}/accept", accept_request, methods=["POST"]),
    Route("/api/v1/notifications/requests/{id}/dismiss", dismiss_request, methods=["POST"]),
]
