"""The buttons of a profile and of account lists: follow, unfollow (or cancel a request),
mute, unmute, block, unblock. Each is a small POST form that works without JavaScript and
sends the browser back where it was, with a line saying what happened."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.errors import NotFound
from godwit.domain.graph import Relationship
from godwit.domain.ids import parse_id
from godwit.services.graph import GraphService
from godwit.web import forms
from godwit.web.context import services
from godwit.web.endpoint import redirect, safe_return_path, web_route
from godwit.web.session import require_viewer
from godwit.web.templating import profile_path

MAX_DURATION_DIGITS = 9  # about 31 years in seconds; the service caps mutes anyway

Act = Callable[[GraphService, int, int, FormData], Awaitable[Relationship]]


async def _follow(graph: GraphService, viewer_id: int, target_id: int, _: FormData) -> Relationship:
    return await graph.follow(viewer_id, target_id)


async def _unfollow(
    graph: GraphService, viewer_id: int, target_id: int, _: FormData
) -> Relationship:
    return await graph.unfollow(viewer_id, target_id)


async def _mute(
    graph: GraphService, viewer_id: int, target_id: int, form: FormData
) -> Relationship:
    # The profile's mute form says it carries options; without them (a bare button) the
    # API's defaults hold: notifications hidden too, for good.
    options = forms.checked(form, "options")
    duration = forms.text(form, "duration", max_length=MAX_DURATION_DIGITS)
    return await graph.mute(
        viewer_id,
        target_id,
        hide_notifications=forms.checked(form, "hide_notifications") if options else True,
        duration_seconds=int(duration) if duration.isascii() and duration.isdigit() else None,
    )


async def _unmute(graph: GraphService, viewer_id: int, target_id: int, _: FormData) -> Relationship:
    return await graph.unmute(viewer_id, target_id)


async def _block(graph: GraphService, viewer_id: int, target_id: int, _: FormData) -> Relationship:
    return await graph.block(viewer_id, target_id)


async def _unblock(
    graph: GraphService, viewer_id: int, target_id: int, _: FormData
) -> Relationship:
    return await graph.unblock(viewer_id, target_id)


# action -> (what the service does, the notice shown after it)
ACTIONS: dict[str, tuple[Act, str]] = {
    "follow": (_follow, "followed"),
    "unfollow": (_unfollow, "unfollowed"),
    "mute": (_mute, "muted"),
    "unmute": (_unmute, "unmuted"),
    "block": (_block, "blocked"),
    "unblock": (_unblock, "unblocked"),
}


def _notice(action: str, rel: Relationship, form: FormData) -> str:
    if action == "follow" and rel.requested and not rel.following:
        return "follow_requested"  # a locked account: the owner decides
    if action == "unfollow" and forms.text(form, "was", max_length=16) == "requested":
        return "follow_request_withdrawn"  # the "Cancel follow request" button
    return ACTIONS[action][1]


async def _act(request: Request, action: str) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    target_id = parse_id(request.path_params.get("id"))
    if target_id is None:
        raise NotFound()
    wired = services(request)
    act, _ = ACTIONS[action]
    rel = await act(wired.graph, viewer.account_id, target_id, form)
    back = forms.text(form, "return_to")
    if safe_return_path(back, "") == "":
        target = await wired.accounts.get(target_id)
        back = profile_path({"acct": target.acct})
    return redirect(back, _notice(action, rel, form))


def _endpoint(action: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await _act(request, action)

    endpoint.__name__ = f"account_{action}"
    return endpoint


routes = [
    web_route(f"/web/accounts/{{id}}/{action}", _endpoint(action), ["POST"]) for action in ACTIONS
]
