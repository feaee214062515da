"""The timelines: home (members), local and all (anyone, as the server allows)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.timelines import TimelineScope
from godwit.web.compose import compose_context
from godwit.web.context import services
from godwit.web.endpoint import web_route
from godwit.web.feeds import page_request, statuses_context
from godwit.web.pages import render
from godwit.web.session import current_viewer, require_viewer


async def home(request: Request) -> Response:
    viewer = await require_viewer(request)
    views = await services(request).timelines.home(viewer.account_id, page_request(request))
    return await render(
        request,
        "timeline.html",
        {
            **statuses_context(request, views),
            **(await compose_context(request, viewer)),
            "heading": "Home",
            "live": "home",
            "empty": "Your home timeline is empty. Follow people to see their posts here.",
        },
    )


async def _public(request: Request, scope: str, heading: str, live: str) -> Response:
    viewer = await current_viewer(request)
    viewer_id = viewer.account_id if viewer else None
    views = await services(request).timelines.public(viewer_id, page_request(request), scope=scope)
    return await render(
        request,
        "timeline.html",
        {
            **statuses_context(request, views),
            **((await compose_context(request, viewer)) if viewer else {}),
            "heading": heading,
            "live": live,
            "empty": "No public posts yet.",
        },
    )


async def local(request: Request) -> Response:
    return await _public(request, TimelineScope.LOCAL, "Local", "local")


async def everything(request: Request) -> Response:
    return await _public(request, TimelineScope.ALL, "All", "public")


routes = [
    web_route("/home", home),
    web_route("/public/local", local),
    web_route("/public", everything),
]
