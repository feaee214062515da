"""Mastodon's admin API for accounts: view, list, act (warn, sensitive, silence, disable,
suspend), undo, and approve or reject sign-ups. Staff only, with ``admin:*`` scopes; the
services check the role and write the audit log."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import params, services
from godwit.api.http import json_response, link_header
from godwit.domain.account_actions import AccountAction
from godwit.domain.audit import MAX_REASON
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.domain.roles import Actor
from godwit.entities.admin import render_admin_account
from godwit.services.account_moderation import ModeratedAccount

READ = "admin:read:accounts"
WRITE = "admin:write:accounts"
DEFAULT_LIMIT = 100
MAX_LIMIT = 200
# Mastodon's v2 "status" filter (silenced = limited), and "sensitized".
_STATUS_FILTERS = ("active", "pending", "disabled", "silenced", "suspended", "sensitized")
Endpoint = Callable[[Request], Awaitable[Response]]


async def _actor(request: Request, scope: str) -> Actor:
    creds = await require_user(request, scope)
    return Actor(creds.account_id)


def _path_id(request: Request) -> int:
    parsed = parse_id(request.path_params.get("id"))
    if parsed is None:
        raise NotFound()
    return parsed


def _render(request: Request, moderated: ModeratedAccount) -> Response:
    settings = services(request).settings
    return json_response(render_admin_account(moderated.account, moderated.state, settings))


async def show(request: Request) -> Response:
    actor = await _actor(request, READ)
    return _render(
        request, await services(request).account_moderation.account(actor, _path_id(request))
    )


async def index(request: Request) -> Response:
    """GET /api/v2/admin/accounts: local accounts (Godwit does not federate yet)."""
    actor = await _actor(request, READ)
    p = await params(request)
    if (p.str("origin", max_length=16) or "local") != "local":
        return json_response([])
    status = p.str("status", max_length=16)
    if status is not None and status not in _STATUS_FILTERS:
        raise Invalid(
            "Validation failed: status is not included in the list",
            {"status": [("ERR_INCLUSION", "is not included in the list")]},
        )
    if p.str("permissions", max_length=16) == "staff":
        status = "staff"
    query = (
        p.str("username", max_length=100)
        or p.str("display_name", max_length=100)
        or p.str("email", max_length=320)
        or ""
    )
    found = await services(request).account_moderation.accounts(
        actor, p.page(DEFAULT_LIMIT, MAX_LIMIT), query=query, status=status
    )
    settings = services(request).settings
    body = [render_admin_account(m.account, m.state, settings) for m in found]
    return json_response(body, headers=link_header(request, [m.account.id for m in found]))


async def action(request: Request) -> Response:
    """POST /api/v1/admin/accounts/:id/action: ``type`` none (a warning), sensitive,
    disable, silence or suspend; ``text`` is shown to the member; ``report_id`` resolves
    that report with the action. Answers ``{}`` as Mastodon."""
    actor = await _actor(request, WRITE)
    p = await params(request)
    await services(request).account_moderation.act(
        actor,
        _path_id(request),
        AccountAction.parse(p.str("type", max_length=16)),
        text=p.str("text", "", max_length=MAX_REASON * 2) or "",
        notify=bool(p.bool("send_email_notification", True)),
        report_id=p.id("report_id"),
    )
    return json_response({})


def _undo(name: str) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        actor = await _actor(request, WRITE)
        moderation = services(request).account_moderation
        method = {
            "enable": moderation.enable,
            "unsensitive": moderation.unsensitive,
            "unsilence": moderation.unlimit,
            "unsuspend": moderation.unsuspend,
            "approve": moderation.approve,
        }[name]
        return _render(request, await method(actor, _path_id(request)))

    endpoint.__name__ = name
    return endpoint


async def reject(request: Request) -> Response:
    """The pending account as it was, once deleted."""
    actor = await _actor(request, WRITE)
    moderation = services(request).account_moderation
    account_id = _path_id(request)
    before = await moderation.account(actor, account_id)
    await moderation.reject(actor, account_id)
    return _render(request, before)


_BASE = "/api/v1/admin/accounts/{id}"
routes: list[BaseRoute] = [
    Route("/api/v2/admin/accounts", index, methods=["GET"]),
    Route(_BASE, show, methods=["GET"]),
    Route(f"{_BASE}/action", action, methods=["POST"]),
    Route(f"{_BASE}/reject", reject, methods=["POST"]),
    *(
        Route(f"{_BASE}/{name}", _undo(name), methods=["POST"])
        for name in ("approve", "enable", "unsensitive", "unsilence", "unsuspend")
    ),
]
