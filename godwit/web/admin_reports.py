"""The moderators' queue and one item of it: ``/admin/reports`` and ``/admin/reports/{id}``.

The queue lists items of every kind (reports today, posts held for review with issue 6),
open ones first by default, each with its age against the 24-hour response target. An
item's page shows the evidence as moderators must see it (the reported posts whatever
their visibility, with the posts they reply to), the account's history, and the forms to
act; the actions themselves are posted to ``admin_actions``. Assigning, resolving and
reopening are here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.audit import AuditQuery
from godwit.domain.errors import Conflict, Invalid
from godwit.domain.ids import parse_id
from godwit.domain.mod_queue import (
    HELD_STATUS,
    OPEN,
    REPORT,
    REPORT_RESOLUTIONS,
    RESOLVED,
    QueueQuery,
)
from godwit.domain.pagination import PageRequest
from godwit.web import forms
from godwit.web.admin_audit import audit_rows
from godwit.web.admin_common import (
    RESOLUTION_LABELS,
    StaffContext,
    may_act_on,
    now,
    path_id,
    problem_message,
    problem_status,
    render_admin,
    require_staff,
    show_entry,
)
from godwit.web.context import services
from godwit.web.endpoint import redirect, web_route
from godwit.web.feeds import older_url, page_request

PAGE_SIZE = 20
HISTORY_SIZE = 10
STATES = {"open": OPEN, "resolved": RESOLVED, "all": None}
KINDS = {"": None, "reports": REPORT, "held": HELD_STATUS}  # the tabs: all, reports, held posts
ASSIGNMENTS = ("", "me", "unassigned")


async def queue(request: Request) -> Response:
    """GET /admin/reports: ``state`` open (default), resolved or all; ``assigned`` me or
    unassigned; ``kind`` reports or held (posts); ``account`` (about that account); newest
    first, older pages by ``max_id``."""
    staff = await require_staff(request)
    params = request.query_params
    state = params.get("state", "open")
    state = state if state in STATES else "open"
    assigned = params.get("assigned", "")
    assigned = assigned if assigned in ASSIGNMENTS else ""
    kind = params.get("kind", "")
    kind = kind if kind in KINDS else ""
    account_id = parse_id(params.get("account"))
    page = page_request(request, PAGE_SIZE)
    found = await services(request).moderation_queue.listing(
        staff.actor,
        QueueQuery(
            state=STATES[state],
            kind=KINDS[kind],
            assigned_account_id=staff.viewer.account_id if assigned == "me" else None,
            unassigned=assigned == "unassigned",
            target_account_id=account_id,
        ),
        page,
    )
    moment = now()
    last = found[-1].item.id if found else None

    def filter_path(
        state: str, assigned: str, account: int | None = account_id, kind: str = kind
    ) -> str:
        """The queue's URL with these filters (open, the default, is left out)."""
        query = {
            "state": state if state != "open" else "",
            "kind": kind,
            "assigned": assigned,
            "account": str(account) if account else "",
        }
        shown = {key: value for key, value in query.items() if value}
        return "/admin/reports" + (f"?{urlencode(shown)}" if shown else "")

    return await render_admin(
        request,
        staff,
        "admin/reports.html",
        "reports",
        {
            "items": [show_entry(request, entry, moment) for entry in found],
            "state": state,
            "assigned": assigned,
            "kind": kind,
            "account_id": account_id,
            "filter_path": filter_path,
            "next_url": older_url(request, last, full=len(found) >= PAGE_SIZE),
            "first_url": filter_path(state, assigned) if page.max_id else None,
        },
    )


async def item_page(request: Request) -> Response:
    staff = await require_staff(request)
    return await report_page(request, staff, path_id(request))


async def report_page(
    request: Request,
    staff: StaffContext,
    item_id: int,
    *,
    problems: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    """The item's page; ``problems`` (by form) and ``values`` refill a refused form."""
    wired = services(request)
    entry = await wired.moderation_queue.get(staff.actor, item_id)
    target_id = entry.item.target_account_id
    target = await wired.account_moderation.account(staff.actor, target_id)
    earlier = await wired.moderation_queue.listing(
        staff.actor,
        QueueQuery(state=None, target_account_id=target_id),
        PageRequest(limit=HISTORY_SIZE + 1),
    )
    history = await wired.audit.listing(
        staff.actor, AuditQuery(target_account_id=target_id), PageRequest(limit=HISTORY_SIZE)
    )
    moment = now()
    shown = show_entry(request, entry, moment)
    return await render_admin(
        request,
        staff,
        "admin/report.html",
        "reports",
        {
            "item": shown,
            "statuses": shown["statuses"],
            "target_state": target.state,
            "warnings": target.warnings,
            "earlier": [
                show_entry(request, other, moment) for other in earlier if other.item.id != item_id
            ][:HISTORY_SIZE],
            "history": audit_rows(history),
            "may_act": may_act_on(staff, target.state),
            "about_self": target_id == staff.viewer.account_id,
            "resolutions": [(code, RESOLUTION_LABELS[code]) for code in REPORT_RESOLUTIONS],
            "return_to": f"/admin/reports/{item_id}",
            "problems": problems or {},
            "summary": list((problems or {}).values()),
            "values": values or {},
        },
        status_code=status_code,
    )


async def _workflow(request: Request, step: str) -> Response:
    staff = await require_staff(request)
    form = await forms.read_form(request)
    item_id = path_id(request)
    queue_service = services(request).moderation_queue
    note = forms.text(form, "note", max_length=4000)
    notices = {
        "assign": "report_assigned",
        "unassign": "report_unassigned",
        "resolve": "report_resolved",
        "reopen": "report_reopened",
    }
    try:
        if step == "assign":
            await queue_service.assign_to_self(staff.actor, item_id)
        elif step == "unassign":
            await queue_service.unassign(staff.actor, item_id)
        elif step == "resolve":
            outcome = forms.text(form, "action_taken", max_length=40) or "none"
            await queue_service.resolve(staff.actor, item_id, action_taken=outcome, note=note)
        else:
            await queue_service.reopen(staff.actor, item_id, note=note)
    except (Invalid, Conflict) as error:
        # Another moderator got there first, or the note was too long: say so on the page.
        return await report_page(
            request,
            staff,
            item_id,
            problems={"workflow": problem_message(error)},
            values={"workflow": {"note": note}},
            status_code=problem_status(error),
        )
    return redirect(f"/admin/reports/{item_id}", notices[step])


def _step(name: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await _workflow(request, name)

    endpoint.__name__ = f"report_{name}"
    return endpoint


routes = [
    web_route("/admin/reports", queue),
    web_route("/admin/reports/{id}", item_page),
    *(
        web_route(f"/admin/reports/{{id}}/{name}", _step(name), ["POST"])
        for name in ("assign", "unassign", "resolve", "reopen")
    ),
]
