"""The audit log page: every moderator and admin action, who, what, which target, when and
why. Read-only: the log is append-only (the repository cannot change an entry and the
database refuses to), so this page offers no form that writes.

``audit_rows`` also serves the account and report pages, which show the entries about
one account.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain import audit
from godwit.domain.audit import AuditEntry, AuditQuery
from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.pagination import PageRequest
from godwit.web.admin_common import RESOLUTION_LABELS, render_admin, require_staff
from godwit.web.context import services
from godwit.web.endpoint import web_route
from godwit.web.feeds import older_url, page_request

PAGE_SIZE = 50
MAX_STAFF_LISTED = 200

ACTION_LABELS = {
    audit.ACCOUNT_WARN: "Warned",
    audit.ACCOUNT_SENSITIVE: "Marked account sensitive",
    audit.ACCOUNT_UNSENSITIVE: "Lifted sensitive mark",
    audit.ACCOUNT_LIMIT: "Limited",
    audit.ACCOUNT_UNLIMIT: "Lifted limit",
    audit.ACCOUNT_SUSPEND: "Suspended",
    audit.ACCOUNT_UNSUSPEND: "Unsuspended",
    audit.ACCOUNT_DISABLE: "Disabled login",
    audit.ACCOUNT_ENABLE: "Enabled login",
    audit.ACCOUNT_APPROVE: "Approved sign-up",
    audit.ACCOUNT_REJECT: "Rejected sign-up",
    audit.ACCOUNT_ROLE: "Changed role",
    audit.STATUS_DELETE: "Deleted post",
    audit.STATUS_SENSITIVE: "Marked post sensitive",
    audit.QUEUE_ASSIGN: "Assigned",
    audit.QUEUE_UNASSIGN: "Unassigned",
    audit.QUEUE_RESOLVE: "Resolved",
    audit.QUEUE_REOPEN: "Reopened",
    audit.SETTINGS_UPDATE: "Changed server settings",
    audit.RULE_CREATE: "Added rule",
    audit.RULE_UPDATE: "Edited rule",
    audit.RULE_DELETE: "Deleted rule",
    audit.STATUS_APPROVE: "Approved held post",
    audit.STATUS_REJECT: "Rejected held post",
    audit.CONTENT_RULE_CREATE: "Added community rule",
    audit.CONTENT_RULE_UPDATE: "Edited community rule",
    audit.CONTENT_RULE_DELETE: "Deleted community rule",
}
# The filter's groups: a prefix ending in "." selects every action of that kind of target.
ACTION_GROUPS = (
    ("account.", "Any action on accounts"),
    ("status.", "Any action on posts"),
    ("queue.", "Any change to the queue"),
    ("settings.", "Server settings"),
    ("rule.", "Any change to the rules"),
    ("content_rule.", "Any change to the community rules"),
)
DETAIL_LABELS = {
    "notified": "Member notified",
    "report_id": "About report",
    "action_taken": "Outcome",
    "previous_action_taken": "Previous outcome",
    "assignee": "Assigned to",
    "visibility": "Post visibility",
    "created_at": "Posted at",
    "from": "From",
    "to": "To",
    "instance_title": "Server name",
    "instance_description": "Description",
    "contact_email": "Contact email",
    "registration_mode": "Registrations",
    "max_status_chars": "Character limit",
    "moderation_threat_policy": "Threat policy",
    "moderation_hold_threshold": "Hold threshold",
    "moderation_label_threshold": "Content warning threshold",
    "moderation_max_mentions": "Most mentions",
    "moderation_max_links": "Most links",
    "moderation_new_account_days": "New account days",
    "moderation_new_account_max_mentions": "New accounts: most mentions",
    "moderation_new_account_max_links": "New accounts: most links",
}
HIDDEN_DETAILS = ("warning_id",)  # an internal id, meaningless on the page


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if set(value) <= {"text", "hint"}:
            return " / ".join(str(part) for part in value.values() if part)
        return ", ".join(f"{key}: {_value(part)}" for key, part in value.items())
    if value is None or value == "":
        return "(none)"
    return str(value)


def _details(entry: AuditEntry) -> list[tuple[str, str]]:
    shown = []
    for key, value in entry.details.items():
        if key in HIDDEN_DETAILS:
            continue
        if isinstance(value, dict) and set(value) == {"from", "to"}:
            text = f"{_value(value['from'])} → {_value(value['to'])}"
        elif key in ("action_taken", "previous_action_taken") and isinstance(value, str):
            text = RESOLUTION_LABELS.get(value, value)
        else:
            text = _value(value)
        shown.append((DETAIL_LABELS.get(key, key.replace("_", " ")), text))
    return shown


def _target_path(entry: AuditEntry) -> str | None:
    """Where the target can be looked at (staff pages), if anywhere."""
    if entry.target_type == "queue_item" and entry.target_id is not None:
        return f"/admin/reports/{entry.target_id}"
    if entry.target_type == "account" and entry.action != audit.ACCOUNT_REJECT:
        return f"/admin/accounts/{entry.target_account_id}" if entry.target_account_id else None
    if entry.target_type == "content_rule" or entry.target_name == "moderation policy":
        return "/admin/moderation"
    if entry.target_type in ("settings", "rule"):
        return "/admin/settings"
    return None


def audit_rows(entries: Sequence[AuditEntry]) -> list[dict[str, Any]]:
    return [
        {
            "id": str(entry.id),
            "created_at": entry.created_at,
            "actor": entry.actor_name,
            "actor_path": (
                f"/admin/accounts/{entry.actor_account_id}" if entry.actor_account_id else None
            ),
            "action": entry.action,
            "action_label": ACTION_LABELS.get(entry.action, entry.action),
            "target": entry.target_name,
            "target_kind": entry.target_type.replace("_", " "),
            "target_path": _target_path(entry),
            "about_path": (
                f"/admin/accounts/{entry.target_account_id}"
                if entry.target_account_id and entry.target_type != "account"
                else None
            ),
            "reason": entry.reason,
            "details": _details(entry),
        }
        for entry in entries
    ]


async def audit_log(request: Request) -> Response:
    """GET /admin/audit-log: newest first; filter by action (or kind), actor, target."""
    staff = await require_staff(request)
    wired = services(request)
    params = request.query_params
    action = params.get("action", "")[:40]
    actor_id = parse_id(params.get("actor"))
    target_id = parse_id(params.get("account"))
    page = page_request(request, PAGE_SIZE)
    entries = await wired.audit.listing(
        staff.actor,
        AuditQuery(actor_account_id=actor_id, target_account_id=target_id, action=action or None),
        page,
    )
    staff_members = await wired.account_moderation.accounts(
        staff.actor, PageRequest(limit=MAX_STAFF_LISTED), status="staff"
    )
    target = None
    if target_id is not None:
        try:
            target = (await wired.account_moderation.account(staff.actor, target_id)).account
        except NotFound:
            target = None  # a rejected sign-up is gone; its entries remain
    last = entries[-1].id if entries else None
    filtered = {key: params[key] for key in ("action", "actor", "account") if params.get(key)}
    return await render_admin(
        request,
        staff,
        "admin/audit_log.html",
        "audit",
        {
            "entries": audit_rows(entries),
            "action": action,
            "actor": str(actor_id) if actor_id else "",
            "target": target,
            "target_id": str(target_id) if target_id else "",
            "actions": [(code, ACTION_LABELS.get(code, code)) for code in audit.ACTIONS],
            "groups": ACTION_GROUPS,
            "staff_members": [m.account for m in staff_members],
            "next_url": older_url(request, last, full=len(entries) >= PAGE_SIZE),
            "first_url": (
                "/admin/audit-log" + (f"?{urlencode(filtered)}" if filtered else "")
                if page.max_id
                else None
            ),
        },
    )


routes = [web_route("/admin/audit-log", audit_log)]
