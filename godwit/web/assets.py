"""The web app's own static files (stylesheet, script, icons, default images) at /static/.

``godwit.css`` and ``godwit.js`` are bundles: the files of ``web/styles`` and
``web/scripts`` joined in name order (each area of the app keeps its own file), served as
one download each.

Each URL the pages link carries a hash of the file's bytes (``?v=``), so a file can be
cached for a year and a new release is fetched at once. Only files in the package's
``web/static`` folder are served; nothing is fetched from a CDN or another site.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}


BUNDLES = {"godwit.css": ("styles", ".css"), "godwit.js": ("scripts", ".js")}


def _bundle(folder: str, suffix: str) -> bytes:
    root = resources.files("godwit").joinpath(f"web/{folder}")
    parts = sorted(
        (entry for entry in root.iterdir() if entry.name.endswith(suffix)),
        key=lambda entry: entry.name,
    )
    return b"\n".join(part.read_bytes() for part in parts)


@functools.cache
def _file(name: str) -> bytes | None:
    if name in BUNDLES:
        return _bundle(*BUNDLES[name])
    if "/" in name or "\\" in name or name.startswith(".") or _suffix(name) not in _TYPES:
        return None
    path = resources.files("godwit").joinpath(f"web/static/{name}")
    return path.read_bytes() if path.is_file() else None


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


@functools.cache
def asset_url(name: str) -> str:
    """``/static/<name>?v=<hash>``; raises if the file is not in the package."""
    content = _file(name)
    if content is None:
        raise LookupError(f"no static file {name!r}")
    return f"/static/{name}?v={hashlib.sha256(content).hexdigest()[:12]}"


async def serve_asset(request: Request) -> Response:
    name = str(request.path_params["name"])
    content = _file(name)
    if content is None:
        return PlainTextResponse("Not Found", status_code=404)
    versioned = "v" in request.query_params
    cache = "public, max-age=31536000, immutable" if versioned else "public, max-age=3600"
    return Response(content, media_type=_TYPES[_suffix(name)], headers={"Cache-Control": cache})


routes: list[BaseRoute] = [Route("/static/{name}", serve_asset, methods=["GET", "HEAD"])]
