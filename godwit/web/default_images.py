"""The default avatar and header, served until members can upload their own.

The PNGs are drawn by ``scripts/make-default-images`` and shipped as package data.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from importlib import resources

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

AVATAR_MISSING = "/static/avatar-missing.png"
HEADER_MISSING = "/static/header-missing.png"


@functools.cache
def _image(name: str) -> bytes:
    return resources.files("godwit").joinpath(f"web/static/{name}").read_bytes()


def _serve(name: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(_request: Request) -> Response:
        return Response(
            _image(name),
            media_type="image/png",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    return endpoint


routes: list[BaseRoute] = [
    Route(AVATAR_MISSING, _serve("avatar-missing.png"), methods=["GET", "HEAD"]),
    Route(HEADER_MISSING, _serve("header-missing.png"), methods=["GET", "HEAD"]),
]
