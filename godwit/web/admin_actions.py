"""The forms moderators act with: on an account (warn, mark sensitive, limit, disable,
suspend, and their undoing; approve or reject a sign-up; admins change roles) and on a
post (delete, mark sensitive).

Each action is one service call, which checks the role, writes the change, the warning
the member is shown and the audit entry together. A refused form (no reason given, a
clash with another moderator) is shown again on the page it came from — the report, the
account or the approvals — with the message beside it and what was typed kept.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.account_actions import AccountAction
from godwit.domain.audit import MAX_REASON
from godwit.domain.errors import Conflict, DomainError, Invalid
from godwit.domain.ids import parse_id
from godwit.web import forms
from godwit.web.admin_accounts import account_page, approvals_page
from godwit.web.admin_common import (
    StaffContext,
    path_id,
    problem_message,
    problem_status,
    require_staff,
    required_reason,
)
from godwit.web.admin_reports import report_page
from godwit.web.context import services
from godwit.web.endpoint import error_page, redirect, safe_return_path, web_route

Endpoint = Callable[[Request], Awaitable[Response]]
_REPORT_PAGE = re.compile(r"^/admin/reports/(\d{1,20})$")
_ACCOUNT_PAGE = re.compile(r"^/admin/accounts/(\d{1,20})$")
UNDO = ("unsuspend", "unlimit", "unsensitive", "enable")


def _fields(form: FormData) -> dict[str, str]:
    """What the moderator typed, to refill the form if it is refused."""
    return {
        "reason": forms.text(form, "reason", max_length=MAX_REASON + 1),
        "type": forms.text(form, "type", max_length=16),
        "role": forms.text(form, "role", max_length=16),
    }


async def _refused(
    request: Request,
    staff: StaffContext,
    form: FormData,
    key: str,
    error: DomainError,
) -> Response:
    """The page the form came from, again, with the problem beside form ``key``."""
    back = safe_return_path(forms.text(form, "return_to"), "")
    problems: Mapping[str, str] = {key: problem_message(error)}
    values = {key: _fields(form)}
    status = problem_status(error)
    if match := _REPORT_PAGE.match(back):
        return await report_page(
            request, staff, int(match[1]), problems=problems, values=values, status_code=status
        )
    if match := _ACCOUNT_PAGE.match(back):
        return await account_page(
            request, staff, int(match[1]), problems=problems, values=values, status_code=status
        )
    if back == "/admin/approvals":
        return await approvals_page(request, staff, problems=problems, status_code=status)
    return await error_page(request, status, "That did not work", problem_message(error))


def _done(form: FormData, default: str, notice: str = "action_taken") -> Response:
    back = safe_return_path(forms.text(form, "return_to"), default)
    return redirect(back if back.startswith("/admin/") else default, notice)


def _report_to_resolve(form: FormData) -> int | None:
    """The report the action answers, when the moderator chose to resolve it with it."""
    return parse_id(forms.text(form, "report_id")) if forms.checked(form, "resolve") else None


async def account_action(request: Request) -> Response:
    """POST /admin/accounts/{id}/action: ``type`` (none: a warning only, sensitive,
    silence, disable, suspend), ``reason`` shown to the member, ``notify``, and
    ``report_id`` with ``resolve`` to resolve that report with the action."""
    staff = await require_staff(request)
    form = await forms.read_form(request)
    account_id = path_id(request)
    try:
        action = AccountAction.parse(forms.text(form, "type", max_length=16))
        await services(request).account_moderation.act(
            staff.actor,
            account_id,
            action,
            text=required_reason(form),
            notify=forms.checked(form, "notify"),
            report_id=_report_to_resolve(form),
        )
    except (Invalid, Conflict) as error:
        return await _refused(request, staff, form, "account", error)
    return _done(form, f"/admin/accounts/{account_id}")


def _undo(name: str) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        staff = await require_staff(request)
        form = await forms.read_form(request)
        account_id = path_id(request)
        moderation = services(request).account_moderation
        method = {
            "unsuspend": moderation.unsuspend,
            "unlimit": moderation.unlimit,
            "unsensitive": moderation.unsensitive,
            "enable": moderation.enable,
        }[name]
        try:
            await method(staff.actor, account_id, required_reason(form))
        except (Invalid, Conflict) as error:
            return await _refused(request, staff, form, name, error)
        return _done(form, f"/admin/accounts/{account_id}")

    endpoint.__name__ = f"account_{name}"
    return endpoint


async def decide_sign_up(request: Request) -> Response:
    """POST /admin/accounts/{id}/approve and /reject (the note is optional: the audit log
    records who decided either way)."""
    staff = await require_staff(request)
    form = await forms.read_form(request)
    account_id = path_id(request)
    approve = request.url.path.endswith("/approve")
    note = forms.text(form, "reason", max_length=MAX_REASON + 1)
    moderation = services(request).account_moderation
    try:
        if approve:
            await moderation.approve(staff.actor, account_id, note)
        else:
            await moderation.reject(staff.actor, account_id, note)
    except (Invalid, Conflict) as error:
        return await _refused(request, staff, form, f"sign-up-{account_id}", error)
    notice = "sign_up_approved" if approve else "sign_up_rejected"
    if not approve:
        return redirect("/admin/approvals", notice)  # the account is gone
    return _done(form, "/admin/approvals", notice)


async def change_role(request: Request) -> Response:
    """POST /admin/accounts/{id}/role (admins): member or moderator, with a reason."""
    staff = await require_staff(request)
    form = await forms.read_form(request)
    account_id = path_id(request)
    try:
        await services(request).account_moderation.set_role(
            staff.actor, account_id, forms.text(form, "role", max_length=16), required_reason(form)
        )
    except (Invalid, Conflict) as error:
        return await _refused(request, staff, form, "role", error)
    return _done(form, f"/admin/accounts/{account_id}", "role_changed")


def _status_action(name: str) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        staff = await require_staff(request)
        form = await forms.read_form(request)
        status_id = path_id(request)
        moderation = services(request).status_moderation
        method = moderation.delete if name == "delete" else moderation.mark_sensitive
        try:
            await method(
                staff.actor,
                status_id,
                reason=required_reason(form),
                notify=forms.checked(form, "notify"),
                report_id=_report_to_resolve(form),
            )
        except (Invalid, Conflict) as error:
            return await _refused(request, staff, form, f"status-{status_id}", error)
        return _done(form, "/admin/reports")

    endpoint.__name__ = f"status_{name}"
    return endpoint


routes = [
    web_route("/admin/accounts/{id}/action", account_action, ["POST"]),
    *(web_route(f"/admin/accounts/{{id}}/{name}", _undo(name), ["POST"]) for name in UNDO),
    web_route("/admin/accounts/{id}/approve", decide_sign_up, ["POST"]),
    web_route("/admin/accounts/{id}/reject", decide_sign_up, ["POST"]),
    web_route("/admin/accounts/{id}/role", change_role, ["POST"]),
    web_route("/admin/statuses/{id}/delete", _status_action("delete"), ["POST"]),
    web_route("/admin/statuses/{id}/sensitive", _status_action("sensitive"), ["POST"]),
]
