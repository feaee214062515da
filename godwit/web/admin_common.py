"""What the moderator and operator pages (``/admin/...``) share: the staff gate, the page
frame with the admin sub-navigation, and the way accounts and queue items are shown.

The gate here only hides the pages from members (a 404, as for a page that does not
exist); the services check the role again inside every transaction, so a role removed a
moment ago no longer works even on a page already open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.account_actions import MemberState
from godwit.domain.accounts import Account
from godwit.domain.audit import MAX_REASON
from godwit.domain.errors import Conflict, DomainError, Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.domain.mod_queue import HELD_STATUS, RESPONSE_TARGET
from godwit.domain.roles import Actor, rank
from godwit.entities.admin import render_admin_account, render_admin_report
from godwit.entities.statuses import render_status
from godwit.services.mod_queue import QueueEntry
from godwit.web import forms
from godwit.web.admin_review_view import show_review
from godwit.web.context import services
from godwit.web.pages import render
from godwit.web.session import Viewer, require_viewer

KIND_LABELS = {"report": "Report", "held_status": "Held post"}
CATEGORY_LABELS = {
    "spam": "Spam",
    "legal": "Illegal content",
    "violation": "Rule violation",
    "other": "Other",
}
RESOLUTION_LABELS = {
    "none": "Dismissed: no action needed",
    "warn": "Member warned",
    "sensitive": "Account marked sensitive",
    "silence": "Account limited",
    "disable": "Login disabled",
    "suspend": "Account suspended",
    "delete_statuses": "Posts deleted",
    "mark_statuses_as_sensitive": "Posts marked sensitive",
    "approve": "Held post approved",
    "reject": "Held post rejected",
}
# AccountWarning.action: the decision as the member was told it.
WARNING_LABELS = {
    "none": "Warning",
    "sensitive": "Account marked sensitive",
    "silence": "Account limited",
    "disable": "Login disabled",
    "suspend": "Account suspended",
    "delete_statuses": "Post deleted",
    "mark_statuses_as_sensitive": "Post marked sensitive",
}
_TARGET_HOURS = int(RESPONSE_TARGET.total_seconds() // 3600)


class StaffContext:
    """The signed-in staff member: the page frame's viewer and the services' actor."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.actor = Actor(viewer.account_id)


def may_act_on(staff: StaffContext, state: MemberState) -> bool:
    """Whether the services would let this staff member act on the account (never on
    oneself, nor on staff of equal or higher rank): the forms are offered only then."""
    return state.account_id != staff.viewer.account_id and rank(staff.viewer.role) > rank(
        state.role
    )


async def require_staff(request: Request) -> StaffContext:
    viewer = await require_viewer(request)
    if not viewer.is_staff:
        raise NotFound()  # members are not even told that these pages exist
    return StaffContext(viewer)


def path_id(request: Request, name: str = "id") -> int:
    value = parse_id(request.path_params.get(name))
    if value is None:
        raise NotFound()
    return value


async def render_admin(
    request: Request,
    staff: StaffContext,
    template: str,
    section: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
) -> Response:
    """An admin page in the frame, with the sub-navigation (and its count of open items)."""
    open_items = await services(request).moderation_queue.open_count(staff.actor)
    return await render(
        request,
        template,
        {
            "admin_section": section,
            "open_items": open_items,
            "warning_labels": WARNING_LABELS,
            **context,
        },
        status_code=status_code,
    )


def required_reason(form: FormData, name: str = "reason") -> str:
    """The reason a moderator gives: required, as the member and the audit log are told
    why. A blank one is refused here; the services check the length."""
    reason = forms.text(form, name, max_length=MAX_REASON + 1).strip()
    if not reason:
        raise Invalid(
            "Give a reason: it is recorded, and shown to the member when they are told.",
            {name: [("ERR_BLANK", "can't be blank")]},
        )
    return reason


def problem_message(error: DomainError) -> str:
    """What to show next to a form the services refused."""
    if isinstance(error, Invalid) and error.details:
        field, entries = next(iter(error.details.items()))
        if entries and error.message.startswith("Validation failed"):
            return f"{field.replace('_', ' ').capitalize()} {entries[0][1]}."
    return error.message


def problem_status(error: DomainError) -> int:
    return 409 if isinstance(error, Conflict) else 422


def field_problems(error: Invalid) -> dict[str, str]:
    """The refusal of a form, per field (or under "form" when it names no field)."""
    found = {field: entries[0][1] for field, entries in error.details.items() if entries}
    return found or {"form": problem_message(error)}


def refusal_summary(subject: str, problems: Mapping[str, str]) -> list[str]:
    """The message above a page after a refused form; the fields say what is wrong."""
    return [f"{subject} not saved: see below.", *([problems["form"]] if "form" in problems else [])]


# ----- showing accounts --------------------------------------------------------------


def badges(admin_account: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Status badges (label, tone) of an Admin::Account entity."""
    found: list[tuple[str, str]] = []
    role = admin_account["role"]["name"]
    if role:
        found.append((role, "accent"))
    if admin_account["suspended"]:
        found.append(("Suspended", "danger"))
    if admin_account["disabled"]:
        found.append(("Login disabled", "danger"))
    if not admin_account["approved"]:
        found.append(("Pending", "warning"))
    if admin_account["silenced"]:
        found.append(("Limited", "warning"))
    if admin_account["sensitized"]:
        found.append(("Sensitive", "warning"))
    if not any(tone in ("danger", "warning") for _label, tone in found):
        found.append(("Active", "success"))
    return found


def show_account(request: Request, account: Account, state: MemberState) -> dict[str, Any]:
    """An Admin::Account entity (what the admin API shows) with its badges."""
    shown = render_admin_account(account, state, services(request).settings)
    shown["badges"] = badges(shown)
    shown["local"] = account.local
    return shown


# ----- showing queue items -----------------------------------------------------------


def _duration(delta: dt.timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


def timer(entry: QueueEntry, now: dt.datetime) -> dict[str, Any]:
    """The item's age against the 24-hour response target, as text and a meter value."""
    item = entry.item
    age = item.age(now)
    hours = age.total_seconds() / 3600
    if not item.open:
        label = f"resolved after {_duration(age)}"
    elif item.overdue(now):
        label = f"{_duration(age)}: over the {_TARGET_HOURS} h target"
    else:
        label = f"{_duration(age)} of {_TARGET_HOURS} h"
    return {
        "label": label,
        "overdue": item.overdue(now),
        "open": item.open,
        "value": round(min(hours, _TARGET_HOURS), 1),
        "max": _TARGET_HOURS,
    }


def show_entry(request: Request, entry: QueueEntry, now: dt.datetime) -> dict[str, Any]:
    """A queue item for the pages: its workflow, its accounts as Admin::Account entities,
    and for a report the Admin::Report entity (posts included) the admin API returns."""
    settings = services(request).settings
    item = entry.item

    def named(account: Account | None) -> dict[str, Any] | None:
        if account is None or account.id not in entry.states:
            return None
        return show_account(request, account, entry.states[account.id])

    report = render_admin_report(entry, settings) if entry.report is not None else None
    return {
        "id": str(item.id),
        "kind": item.kind,
        "kind_label": KIND_LABELS.get(item.kind, item.kind),
        "open": item.open,
        "created_at": item.created_at,
        "resolved_at": item.resolved_at,
        "resolution": RESOLUTION_LABELS.get(item.resolution or "", item.resolution or ""),
        "note": item.resolution_note,
        "timer": timer(entry, now),
        "target": named(entry.target),
        "reporter": named(entry.reporter),
        "assignee": named(entry.assignee),
        "resolved_by": named(entry.resolved_by),
        "report": report,
        "category": CATEGORY_LABELS.get(report["category"], "") if report else "",
        "parents": {str(view.status.id): render_status(view, settings) for view in entry.parents},
        # A held post: the post itself and what the moderation pipeline said about it.
        "held": item.kind == HELD_STATUS,
        "statuses": report["statuses"]
        if report
        else [render_status(view, settings) for view in entry.statuses],
        "review": show_review(entry.review),
    }


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
