"""Deciding about a post the moderation pipeline held: ``/admin/reports/{id}/approve`` and
``/admin/reports/{id}/reject`` (a held post's queue item has the post's id).

Approving publishes the post as if it were just posted (fan-out, notifications, search);
rejecting keeps it unpublished and tells the author why. ``services.content_review`` checks
the moderator's role, refuses a decision about one's own post or a post no longer held,
resolves the queue item and writes the audit entry, all in one transaction.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.errors import Conflict, Forbidden, Invalid
from godwit.domain.roles import Actor
from godwit.services.content_review import MAX_DECISION_NOTE
from godwit.web import forms
from godwit.web.admin_common import path_id, problem_message, problem_status, require_staff
from godwit.web.admin_reports import report_page
from godwit.web.context import services
from godwit.web.endpoint import redirect, web_route


async def approve(request: Request) -> Response:
    staff = await require_staff(request)
    form = await forms.read_form(request)
    item_id = path_id(request)
    note = forms.text(form, "note", max_length=MAX_DECISION_NOTE + 1)
    try:
        await services(request).content_review.approve(
            Actor(staff.viewer.account_id), item_id, note
        )
    except (Invalid, Conflict, Forbidden) as error:
        # Another moderator decided first, or the post is the moderator's own.
        return await report_page(
            request,
            staff,
            item_id,
            problems={"held": problem_message(error)},
            values={"held": {"note": note}},
            status_code=403 if isinstance(error, Forbidden) else problem_status(error),
        )
    return redirect(f"/admin/reports/{item_id}", "post_approved")


async def reject(request: Request) -> Response:
    staff = await require_staff(request)
    form = await forms.read_form(request)
    item_id = path_id(request)
    reason = forms.text(form, "reason", max_length=MAX_DECISION_NOTE + 1)
    try:
        if len(reason.strip()) > MAX_DECISION_NOTE:
            raise Invalid(
                f"The reason is too long (at most {MAX_DECISION_NOTE} characters).",
                {"reason": [("ERR_TOO_LONG", "is too long")]},
            )
        await services(request).content_review.reject(
            Actor(staff.viewer.account_id), item_id, reason
        )
    except (Invalid, Conflict, Forbidden) as error:
        return await report_page(
            request,
            staff,
            item_id,
            problems={"held-reject": problem_message(error)},
            values={"held-reject": {"reason": reason}},
            status_code=403 if isinstance(error, Forbidden) else problem_status(error),
        )
    return redirect(f"/admin/reports/{item_id}", "post_rejected")


routes = [
    web_route("/admin/reports/{id}/approve", approve, ["POST"]),
    web_route("/admin/reports/{id}/reject", reject, ["POST"]),
]
