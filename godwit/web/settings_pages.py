"""The member's settings, one section per module; this is their route table.

``/settings`` opens the first section. Every section shares the navigation and helpers of
``settings_frame.py``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from godwit.web import (
    settings_filters,
    settings_mutes_blocks,
    settings_privacy,
    settings_profile,
    settings_security,
)
from godwit.web.endpoint import web_route
from godwit.web.session import require_viewer


async def settings_start(request: Request) -> Response:
    await require_viewer(request)
    return RedirectResponse(settings_profile.SECTION, status_code=303)


routes: list[BaseRoute] = [
    web_route("/settings", settings_start),
    *settings_profile.routes,
    *settings_privacy.routes,
    *settings_filters.routes,
    *settings_mutes_blocks.routes,
    *settings_security.routes,
]
