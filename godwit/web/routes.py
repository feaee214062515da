"""The route table of the HTML pages (app.py mounts it beside the API's)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from godwit.web import default_images, oauth

WEB_ROUTES: list[BaseRoute] = [
    *oauth.routes,
    *default_images.routes,
]
