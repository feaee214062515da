"""The buttons under a post: favourite, boost, bookmark, delete, vote. Each is a small
POST form that works without JavaScript and sends the browser back where it was."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.web import forms
from godwit.web.context import services
from godwit.web.endpoint import redirect, safe_return_path, web_route
from godwit.web.session import require_viewer

MAX_POLL_CHOICES = 10


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
    handlers: dict[str, Callable[[int, int], Awaitable[object]]] = {
        "favourite": statuses.favourite,
        "unfavourite": statuses.unfavourite,
        "unreblog": statuses.unreblog,
        "bookmark": marks.bookmark,
        "unbookmark": marks.unbookmark,
    }
    notice = None
    if action == "reblog":
        await statuses.reblog(status_id, viewer.account_id, None)
    elif action == "delete":
        await statuses.delete(status_id, viewer.account_id)
        notice = "deleted"
    else:
        await handlers[action](status_id, viewer.account_id)
    back = safe_return_path(forms.text(form, "return_to"), "/home")
    if action == "delete" and f"/{status_id}" in back:
        back = "/home"  # the post's own page is gone
    return redirect(back, notice, fragment="" if notice else f"status-{status_id}")


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
