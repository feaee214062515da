"""Mastodon's admin API for reports: the moderators' queue items of kind "report", listed
with their posts, assigned, resolved and reopened. Staff only, with ``admin:*`` scopes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import params, services
from godwit.api.http import json_response, link_header
from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.mod_queue import OPEN, REPORT, RESOLVED, QueueQuery
from godwit.domain.roles import Actor
from godwit.entities.admin import render_admin_report
from godwit.services.mod_queue import QueueEntry

READ = "admin:read:reports"
WRITE = "admin:write:reports"
# Each report carries up to 100 posts: pages are smaller than Mastodon's (100, max 200).
DEFAULT_LIMIT = 20
MAX_LIMIT = 40
Endpoint = Callable[[Request], Awaitable[Response]]


async def _actor(request: Request, scope: str) -> Actor:
    creds = await require_user(request, scope)
    return Actor(creds.account_id)


def _path_id(request: Request) -> int:
    parsed = parse_id(request.path_params.get("id"))
    if parsed is None:
        raise NotFound()
    return parsed


def _report(request: Request, entry: QueueEntry) -> Response:
    if entry.report is None:  # another kind of item: not a report
        raise NotFound()
    return json_response(render_admin_report(entry, services(request).settings))


async def index(request: Request) -> Response:
    """``resolved`` (false by default, as Mastodon), ``account_id`` (the reporter),
    ``target_account_id``; newest first."""
    actor = await _actor(request, READ)
    p = await params(request)
    query = QueueQuery(
        state=RESOLVED if p.bool("resolved", False) else OPEN,
        kind=REPORT,
        target_account_id=p.id("target_account_id"),
        reporter_account_id=p.id("account_id"),
    )
    found = await services(request).moderation_queue.listing(
        actor, query, p.page(DEFAULT_LIMIT, MAX_LIMIT)
    )
    settings = services(request).settings
    body = [render_admin_report(entry, settings) for entry in found if entry.report is not None]
    return json_response(body, headers=link_header(request, [e.item.id for e in found]))


async def show(request: Request) -> Response:
    actor = await _actor(request, READ)
    return _report(request, await services(request).moderation_queue.get(actor, _path_id(request)))


def _transition(name: str) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        actor = await _actor(request, WRITE)
        queue = services(request).moderation_queue
        item_id = _path_id(request)
        if (await queue.get(actor, item_id)).report is None:
            raise NotFound()  # a queue item of another kind (held posts) is not a report
        if name == "assign_to_self":
            entry = await queue.assign_to_self(actor, item_id)
        elif name == "unassign":
            entry = await queue.unassign(actor, item_id)
        elif name == "resolve":
            entry = await queue.resolve(actor, item_id)
        else:
            entry = await queue.reopen(actor, item_id)
        return _report(request, entry)

    endpoint.__name__ = name
    return endpoint


routes: list[BaseRoute] = [
    Route("/api/v1/admin/reports", index, methods=["GET"]),
    Route("/api/v1/admin/reports/{id}", show, methods=["GET"]),
    *(
        Route(f"/api/v1/admin/reports/{{id}}/{name}", _transition(name), methods=["POST"])
        for name in ("assign_to_self", "unassign", "resolve", "reopen")
    ),
]
