"""Accounts as moderators see them: ``/admin/accounts`` (search and filters),
``/admin/accounts/{id}`` (details, history, the action forms) and ``/admin/approvals``
(sign-ups waiting for a decision). The forms post to ``admin_actions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.account_actions import restorable, restorable_until
from godwit.domain.audit import AuditQuery
from godwit.domain.mod_queue import QueueQuery
from godwit.domain.pagination import PageRequest
from godwit.entities.statuses import render_statuses
from godwit.web.admin_audit import audit_rows
from godwit.web.admin_common import (
    StaffContext,
    may_act_on,
    now,
    path_id,
    render_admin,
    require_staff,
    show_account,
    show_entry,
)
from godwit.web.context import services
from godwit.web.endpoint import web_route
from godwit.web.feeds import older_url, page_request

PAGE_SIZE = 40
RECENT_POSTS = 10
HISTORY_SIZE = 20
MAX_QUERY = 100
# The list's filters (the service's names; "silenced" is what the pages call limited).
FILTERS = (
    ("", "All"),
    ("active", "Active"),
    ("pending", "Pending"),
    ("suspended", "Suspended"),
    ("silenced", "Limited"),
    ("sensitized", "Sensitive"),
    ("disabled", "Login disabled"),
    ("staff", "Staff"),
)
ROLE_CHOICES = (("member", "Member"), ("moderator", "Moderator"))


async def accounts(request: Request) -> Response:
    """GET /admin/accounts: ``q`` (username, display name or email, by prefix) and
    ``status``; newest first, older pages by ``max_id``."""
    staff = await require_staff(request)
    params = request.query_params
    query = params.get("q", "").strip()[:MAX_QUERY]
    status = params.get("status", "")
    status = status if status in dict(FILTERS) else ""
    page = page_request(request, PAGE_SIZE)
    found = await services(request).account_moderation.accounts(
        staff.actor, page, query=query, status=status or None
    )
    last = found[-1].account.id if found else None
    filtered = {key: value for key, value in (("q", query), ("status", status)) if value}
    return await render_admin(
        request,
        staff,
        "admin/accounts.html",
        "accounts",
        {
            "accounts": [show_account(request, m.account, m.state) for m in found],
            "query": query,
            "status": status,
            "filters": FILTERS,
            "next_url": older_url(request, last, full=len(found) >= PAGE_SIZE),
            "first_url": (
                "/admin/accounts" + (f"?{urlencode(filtered)}" if filtered else "")
                if page.max_id
                else None
            ),
        },
    )


async def account_detail(request: Request) -> Response:
    staff = await require_staff(request)
    return await account_page(request, staff, path_id(request))


async def account_page(
    request: Request,
    staff: StaffContext,
    account_id: int,
    *,
    problems: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    """The account's page; ``problems`` (by form) and ``values`` refill a refused form."""
    wired = services(request)
    moderated = await wired.account_moderation.account(staff.actor, account_id)
    state = moderated.state
    posts = await wired.account_moderation.statuses(
        staff.actor, account_id, PageRequest(limit=RECENT_POSTS)
    )
    reports = await wired.moderation_queue.listing(
        staff.actor, QueueQuery(state=None, target_account_id=account_id), PageRequest(limit=10)
    )
    history = await wired.audit.listing(
        staff.actor, AuditQuery(target_account_id=account_id), PageRequest(limit=HISTORY_SIZE)
    )
    moment = now()
    suspended_at = state.suspended_at
    return await render_admin(
        request,
        staff,
        "admin/account.html",
        "accounts",
        {
            "subject": show_account(request, moderated.account, state),
            "state": state,
            "warnings": moderated.warnings,
            "statuses": render_statuses(posts, wired.settings),
            "reports": [show_entry(request, entry, moment) for entry in reports],
            "history": audit_rows(history),
            "may_act": may_act_on(staff, state),
            "restorable": suspended_at is not None and restorable(suspended_at, moment),
            "restorable_until": restorable_until(suspended_at) if suspended_at else None,
            "role_choices": ROLE_CHOICES,
            "may_change_role": staff.viewer.is_admin
            and moderated.account.local
            and may_act_on(staff, state),
            "return_to": f"/admin/accounts/{account_id}",
            "problems": problems or {},
            "summary": list((problems or {}).values()),
            "values": values or {},
        },
        status_code=status_code,
    )


async def approvals(request: Request) -> Response:
    staff = await require_staff(request)
    return await approvals_page(request, staff)


async def approvals_page(
    request: Request,
    staff: StaffContext,
    *,
    problems: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """GET /admin/approvals: sign-ups waiting for approval, newest first, with the reason
    each gave."""
    page = page_request(request, PAGE_SIZE)
    pending = await services(request).account_moderation.pending(staff.actor, page)
    last = pending[-1].account.id if pending else None
    return await render_admin(
        request,
        staff,
        "admin/approvals.html",
        "approvals",
        {
            "accounts": [show_account(request, m.account, m.state) for m in pending],
            "next_url": older_url(request, last, full=len(pending) >= PAGE_SIZE),
            "first_url": "/admin/approvals" if page.max_id else None,
            "problems": problems or {},
            "summary": list((problems or {}).values()),
            "return_to": "/admin/approvals",
        },
        status_code=status_code,
    )


routes = [
    web_route("/admin/accounts", accounts),
    web_route("/admin/accounts/{id}", account_detail),
    web_route("/admin/approvals", approvals),
]
