"""The member's notifications: everything, or mentions only; follow requests answered in
place; "mark all as read" moves the same notifications marker the client API's
/api/v1/markers saves, so the unread count agrees everywhere the member signs in."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.notifications import NotificationFilter
from godwit.entities.notifications import render_notifications
from godwit.web import forms
from godwit.web.context import services
from godwit.web.endpoint import redirect, safe_return_path, web_route
from godwit.web.feeds import current_path, older_url, page_request
from godwit.web.pages import render
from godwit.web.session import require_viewer

MARKER = "notifications"
# Shown with the whole post and its buttons; the others show a short excerpt of the post.
FULL_POST_TYPES = frozenset({"mention", "status", "quote"})
MENTIONS_ONLY = NotificationFilter(types=("mention",))

# What the moderators decided, in the member's words (Mastodon's warning actions).
WARNING_ACTIONS = {
    "none": "sent you a warning",
    "disable": "froze your account: you cannot post or sign in to apps",
    "mark_statuses_as_sensitive": "marked some of your posts as sensitive",
    "delete_statuses": "removed some of your posts",
    "sensitive": "marked your media as sensitive from now on",
    "silence": "limited your account: only your followers see your posts in public places",
    "suspend": "suspended your account",
}


async def notifications_page(request: Request, *, mentions_only: bool = False) -> Response:
    viewer = await require_viewer(request)
    wired = services(request)
    page = page_request(request)
    listed = await wired.notifications.listing(
        viewer.account_id, page, MENTIONS_ONLY if mentions_only else NotificationFilter()
    )
    markers = await wired.member_settings.markers(viewer.account_id, [MARKER])
    marker = markers.get(MARKER)
    last_read = marker.last_read_id if marker is not None else 0
    cursors = listed.cursor_ids
    # "Mark all as read" up to the newest notification, offered on the first page only
    # (a later page does not know what came in since).
    newest = cursors[0] if cursors and page.max_id is None else None
    return await render(
        request,
        "notifications.html",
        {
            "notifications": _rows(render_notifications(listed.items, wired.settings), last_read),
            "mentions_only": mentions_only,
            "mark_read_id": newest if newest is not None and newest > last_read else None,
            "next_url": older_url(
                request, cursors[-1] if cursors else None, full=len(cursors) >= page.limit
            ),
            "return_to": current_path(request),
            "warning_actions": WARNING_ACTIONS,
        },
    )


def _rows(entities: list[dict[str, Any]], last_read: int) -> list[dict[str, Any]]:
    """Each notification with how the page shows it: unread or not, the post in full or as
    an excerpt (a post already shown in full on the page is an excerpt the second time, so
    no two posts on the page share an element id)."""
    shown_in_full: set[str] = set()
    rows = []
    for entity in entities:
        status = entity.get("status")
        full = bool(status) and entity["type"] in FULL_POST_TYPES
        if full and status is not None:
            full = status["id"] not in shown_in_full
            shown_in_full.add(status["id"])
        rows.append({"n": entity, "unread": int(entity["id"]) > last_read, "full": full})
    return rows


async def all_notifications(request: Request) -> Response:
    return await notifications_page(request)


async def mentions(request: Request) -> Response:
    return await notifications_page(request, mentions_only=True)


async def mark_read(request: Request) -> Response:
    """POST: the notifications marker moves up to ``last_read_id``; never back (a form
    left open in an old tab must not make read notifications unread again)."""
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    last_read_id = parse_id(forms.text(form, "last_read_id", max_length=20))
    back = safe_return_path(forms.text(form, "return_to"), "/notifications")
    if last_read_id is None:
        return redirect(back)
    settings = services(request).member_settings
    current = (await settings.markers(viewer.account_id, [MARKER])).get(MARKER)
    if current is None or current.last_read_id < last_read_id:
        await settings.save_markers(viewer.account_id, {MARKER: last_read_id})
    return redirect(back, "notifications_read")


def _account_id(request: Request) -> int:
    value = parse_id(request.path_params.get("id"))
    if value is None:
        raise NotFound()
    return value


async def authorize_follow_request(request: Request) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    await services(request).graph.authorize(viewer.account_id, _account_id(request))
    back = safe_return_path(forms.text(form, "return_to"), "/notifications")
    return redirect(back, "follow_request_authorized")


async def reject_follow_request(request: Request) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    await services(request).graph.reject(viewer.account_id, _account_id(request))
    back = safe_return_path(forms.text(form, "return_to"), "/notifications")
    return redirect(back, "follow_request_rejected")


routes = [
    web_route("/notifications", all_notifications),
    web_route("/notifications/mentions", mentions),
    web_route("/web/notifications/read", mark_read, ["POST"]),
    web_route("/web/follow_requests/{id}/authorize", authorize_follow_request, ["POST"]),
    web_route("/web/follow_requests/{id}/reject", reject_follow_request, ["POST"]),
]
