"""The route table of the HTML pages (app.py mounts it beside the API's)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from godwit.web import assets, auth_pages, compose, oauth, status_actions, timeline_pages

WEB_ROUTES: list[BaseRoute] = [
    *assets.routes,
    *oauth.routes,
    *auth_pages.routes,
    *timeline_pages.routes,
    *compose.routes,
    *status_actions.routes,
]
