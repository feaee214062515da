"""Serving uploaded media from the local media directory (the filesystem media backend).

Files are immutable (a key is never rewritten), so they are cached for a long time.
Originals waiting for video processing (``pending/``) are never served.
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from godwit.domain.media import PENDING_PREFIX


class _ImmutableFiles(StaticFiles):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.get_path(scope).replace("\\", "/").lstrip("/").startswith(PENDING_PREFIX):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return

        async def send_with_cache(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"cache-control", b"public, max-age=31536000, immutable"))
                message["headers"] = headers
            await send(message)

        await super().__call__(scope, receive, send_with_cache)


def media_files_route(directory: str) -> BaseRoute:
    """``GET /media/<key>`` from ``directory`` (created on first upload, may not exist yet)."""
    return Mount("/media", app=_ImmutableFiles(directory=directory, check_dir=False))
