"""Server settings (admins only): ``/admin/settings`` — name, description, contact email,
registration mode, character limit, and the rules (add, edit, delete).

Everything goes through ``services.server_settings``, which checks the admin role in the
transaction and writes the audit entry with each change. Moderators are told the page is
for administrators (the service's 403); members are not told it exists (404).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.audit import MAX_REASON
from godwit.domain.errors import Forbidden, Invalid
from godwit.domain.roles import NOT_ADMIN
from godwit.domain.server_settings import (
    MAX_CHARS_LIMIT,
    MAX_DESCRIPTION,
    MAX_RULE_HINT,
    MAX_RULE_TEXT,
    MAX_RULES,
    MAX_TITLE,
    REGISTRATION_MODES,
    SettingsChange,
)
from godwit.entities.instance import render_rule
from godwit.web import forms
from godwit.web.admin_common import (
    StaffContext,
    field_problems,
    path_id,
    refusal_summary,
    render_admin,
    require_staff,
)
from godwit.web.context import services
from godwit.web.endpoint import redirect, web_route

MODE_DESCRIPTIONS = {
    "open": ("Open", "Anyone can sign up and post at once."),
    "approval": ("Approval", "Anyone can ask to join; a moderator approves each sign-up."),
    "closed": ("Closed", "Nobody can sign up."),
}
LIMITS = {
    "title": MAX_TITLE,
    "description": MAX_DESCRIPTION,
    "rule_text": MAX_RULE_TEXT,
    "rule_hint": MAX_RULE_HINT,
    "chars": MAX_CHARS_LIMIT,
    "rules": MAX_RULES,
    "reason": MAX_REASON,
}


async def _require_admin(request: Request) -> StaffContext:
    staff = await require_staff(request)
    if not staff.viewer.is_admin:
        raise Forbidden(NOT_ADMIN)  # the services would refuse too; say so before any form
    return staff


async def settings_page(request: Request) -> Response:
    staff = await _require_admin(request)
    return await _page(request, staff)


async def _page(
    request: Request,
    staff: StaffContext,
    *,
    form_key: str = "",
    problems: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The page; after a refused form, ``form_key`` names it and ``problems`` (by field)
    and ``values`` show it again as it was sent."""
    current = await services(request).server_settings.current(staff.actor)
    return await render_admin(
        request,
        staff,
        "admin/settings.html",
        "settings",
        {
            "settings": current,
            "rules": [render_rule(rule) for rule in current.rules],
            "modes": [(mode, *MODE_DESCRIPTIONS[mode]) for mode in REGISTRATION_MODES],
            "limits": LIMITS,
            "form_key": form_key,
            "summary": (
                refusal_summary(
                    ("The settings were" if form_key == "settings" else "The rule was"),
                    problems or {},
                )
                if form_key
                else []
            ),
            "problems": problems or {},
            "values": values or {},
        },
        status_code=status_code,
    )


def _chars(form: FormData) -> int | None:
    raw = forms.text(form, "max_status_chars", max_length=12).strip()
    if not raw.isascii() or not raw.isdigit():
        raise Invalid(
            "Validation failed: max_status_chars must be a whole number",
            {"max_status_chars": [("ERR_INVALID", "must be a whole number")]},
        )
    return int(raw)


async def save_settings(request: Request) -> Response:
    """POST /admin/settings: every field of the form; the service stores those that
    changed and audit-logs them with their old and new values."""
    staff = await _require_admin(request)
    form = await forms.read_form(request)
    keys = ("title", "description", "contact_email", "registration_mode", "max_status_chars")
    sent = {key: forms.text(form, key, max_length=MAX_DESCRIPTION + 1) for key in keys}
    sent["reason"] = forms.text(form, "reason", max_length=MAX_REASON + 1)
    try:
        change = SettingsChange(
            title=sent["title"],
            description=sent["description"],
            contact_email=sent["contact_email"],
            registration_mode=sent["registration_mode"],
            max_status_chars=_chars(form),
        )
        await services(request).server_settings.update(staff.actor, change, sent["reason"])
    except Invalid as error:
        return await _page(
            request,
            staff,
            form_key="settings",
            problems=field_problems(error),
            values=sent,
            status_code=422,
        )
    return redirect("/admin/settings", "saved")


def _rule_fields(form: FormData) -> dict[str, str]:
    return {
        "text": forms.text(form, "text", max_length=MAX_RULE_TEXT + 1),
        "hint": forms.text(form, "hint", max_length=MAX_RULE_HINT + 1),
        "reason": forms.text(form, "reason", max_length=MAX_REASON + 1),
    }


async def add_rule(request: Request) -> Response:
    staff = await _require_admin(request)
    form = await forms.read_form(request)
    sent = _rule_fields(form)
    try:
        await services(request).server_settings.add_rule(
            staff.actor, sent["text"], sent["hint"], sent["reason"]
        )
    except Invalid as error:
        return await _page(
            request, staff, form_key="rule-new", problems=field_problems(error), values=sent,
            status_code=422,
        )  # fmt: skip
    return redirect("/admin/settings", "rule_added", fragment="rules")


async def update_rule(request: Request) -> Response:
    staff = await _require_admin(request)
    form = await forms.read_form(request)
    rule_id = path_id(request)
    sent = _rule_fields(form)
    try:
        await services(request).server_settings.update_rule(
            staff.actor, rule_id, sent["text"], sent["hint"], sent["reason"]
        )
    except Invalid as error:
        return await _page(
            request, staff, form_key=f"rule-{rule_id}", problems=field_problems(error), values=sent,
            status_code=422,
        )  # fmt: skip
    return redirect("/admin/settings", "rule_saved", fragment=f"rule-{rule_id}")


async def delete_rule(request: Request) -> Response:
    staff = await _require_admin(request)
    form = await forms.read_form(request)
    reason = forms.text(form, "reason", max_length=MAX_REASON + 1)
    await services(request).server_settings.delete_rule(staff.actor, path_id(request), reason)
    return redirect("/admin/settings", "rule_deleted", fragment="rules")


routes = [
    web_route("/admin/settings", settings_page),
    web_route("/admin/settings", save_settings, ["POST"]),
    web_route("/admin/settings/rules", add_rule, ["POST"]),
    web_route("/admin/settings/rules/{id}", update_rule, ["POST"]),
    web_route("/admin/settings/rules/{id}/delete", delete_rule, ["POST"]),
]
