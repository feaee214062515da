"""Cross-cutting HTTP behaviour: request ids, security headers and CORS.

Pure ASGI middleware (not BaseHTTPMiddleware) so streaming bodies and lifespan pass through
untouched. The rate limiter is in ratelimit.py; app.py puts them in order.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_SCOPE_KEY = "godwit.request_id"
# An id a proxy already assigned is kept when it looks like one (as Rails does), so one id
# follows a request through the proxy's logs and ours.
_ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9_.\-]{1,128}")

# As Mastodon's config/initializers/cors.rb: public API and discovery paths, not HTML pages.
CORS_EXACT_PATHS = frozenset({"/oauth/token", "/oauth/revoke"})
CORS_PATH_PREFIXES = ("/api/", "/.well-known/", "/nodeinfo/")
CORS_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
CORS_EXPOSED_HEADERS = (
    "Link",
    "X-RateLimit-Reset",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-Request-Id",
    "Idempotency-Key",
)


def add_headers_on_start(send: Send, headers: Mapping[str, str], *, overwrite: bool) -> Send:
    """A ``send`` that adds ``headers`` to the response as it starts."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            response_headers = MutableHeaders(scope=message)
            for name, value in headers.items():
                if overwrite or name not in response_headers:
                    response_headers[name] = value
        await send(message)

    return send_with_headers


class RequestIdMiddleware:
    """Every response carries X-Request-Id; the id is kept in the scope for logs and errors."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _ACCEPTABLE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        scope[REQUEST_ID_SCOPE_KEY] = request_id
        await self.app(
            scope, receive, add_headers_on_start(send, {"X-Request-Id": request_id}, overwrite=True)
        )


class SecurityHeadersMiddleware:
    """nosniff and a same-origin referrer policy everywhere; no framing of HTML pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_security_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("X-Frame-Options", "DENY")
            await send(message)

        await self.app(scope, receive, send_with_security_headers)


def is_cors_path(path: str) -> bool:
    return path in CORS_EXACT_PATHS or path.startswith(CORS_PATH_PREFIXES)


class ApiCorsMiddleware:
    """Starlette's CORS handling, applied only to the paths Mastodon opens to browsers.

    Any origin, no credentials (tokens travel in the Authorization header), any request
    header (Mastodon's ``headers: :any``). Preflights are answered here, before rate limits
    and authentication.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=CORS_METHODS,
            allow_headers=["*"],
            allow_credentials=False,
            expose_headers=CORS_EXPOSED_HEADERS,
            max_age=86_400,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_cors_path(scope["path"]):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
