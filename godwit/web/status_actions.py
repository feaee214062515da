"""The buttons under a post: favourite, boost, bookmark, delete, vote. Each is a small
POST form that works without JavaScript and sends the browser back where it was.

The script (40-actions.js) sends the same forms with ``fetch`` and ``Accept:
application/json``: the toggles then answer the post's new state as JSON (pressed or not,
the new count, the action the button now stands for) and the page updates in place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.posts import StatusView
from godwit.entities.statuses import render_status
from godwit.web import forms
from godwit.web.context import services
from godwit.web.endpoint import redirect, safe_return_path, web_route
from godwit.web.session import require_viewer

MAX_POLL_CHOICES = 10
# Each toggle: the entity fields that say whether it is on, and its count (if shown).
TOGGLES = {
    "favourite": ("favourite", "favourited", "favourites_count"),
    "reblog": ("reblog", "reblogged", "reblogs_count"),
    "bookmark": ("bookmark", "bookmarked", None),
}


def _path_id(request: Request, name: str = "id") -> int:
    value = parse_id(request.path_params.get(name))
    if value is None:
        raise NotFound()
    return value


async def _act(request: Request, action: str) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    status_id = _path_id(request)
    statuses = services(request).statuses
    marks = services(request).status_marks
    handlers: dict[str, Callable[[int, int], Awaitable[StatusView]]] = {
        "favourite": statuses.favourite,
        "unfavourite": statuses.unfavourite,
        "unreblog": statuses.unreblog,
        "bookmark": marks.bookmark,
        "unbookmark": marks.unbookmark,
    }
    notice = None
    if action == "reblog":
        view = await statuses.reblog(status_id, viewer.account_id, None)
    elif action == "delete":
        view = await statuses.delete(status_id, viewer.account_id)
        notice = "deleted"
    else:
        view = await handlers[action](status_id, viewer.account_id)
    if wants_json(request):
        return JSONResponse(_state(request, action, view), headers={"Cache-Control": "no-store"})
    back = safe_return_path(forms.text(form, "return_to"), "/home")
    if action == "delete" and back.partition("?")[0].rstrip("/").endswith(f"/{status_id}"):
        back = "/home"  # the post's own page is gone
    return redirect(back, notice, fragment="" if notice else f"status-{status_id}")


def wants_json(request: Request) -> bool:
    """The script's requests ask for JSON; browsers' own form posts never do."""
    return "application/json" in request.headers.get("accept", "")


def _state(request: Request, action: str, view: StatusView) -> dict[str, Any]:
    """What the button shows after ``action``: pressed, count, and its next action."""
    entity = render_status(view, services(request).settings)
    shown = entity.get("reblog") or entity
    if action == "delete":
        return {"id": shown["id"], "deleted": True}
    toggle, flag, count = TOGGLES[action.removeprefix("un")]
    pressed = bool(shown.get(flag))
    return {
        "id": shown["id"],
        "pressed": pressed,
        "count": shown.get(count) if count else None,
        "action": f"un{toggle}" if pressed else toggle,
    }


def _action(name: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await _act(request, name)

    endpoint.__name__ = f"status_{name}"
    return endpoint


async def vote(request: Request) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    choices = [
        int(value)
        for value in forms.texts(form, "choices", max_items=MAX_POLL_CHOICES, max_length=3)
        if value.isascii() and value.isdigit()
    ]
    await services(request).polls.vote(_path_id(request), viewer.account_id, choices)
    return redirect(safe_return_path(forms.text(form, "return_to"), "/home"))


ACTIONS = ("favourite", "unfavourite", "reblog", "unreblog", "bookmark", "unbookmark", "delete")

routes = [
    *(web_route(f"/web/statuses/{{id}}/{name}", _action(name), ["POST"]) for name in ACTIONS),
    web_route("/web/polls/{id}/votes", vote, ["POST"]),
]
