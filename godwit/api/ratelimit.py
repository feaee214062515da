"""Rate limits as Mastodon sets them, with the X-RateLimit-* headers it sends.

- every API/OAuth request: ``rate_limit_requests`` per ``rate_limit_window``, keyed on a hash
  of the bearer token when it is valid, else on the client IP;
- sign-ups (POST /api/v1/accounts): ``signup_limit`` per ``signup_window`` per IP;
- deleting or un-reblogging statuses, and uploading media: 30 per 30 minutes per account.

Windows are fixed and epoch-aligned (see godwit.ports.ratelimit). The limiter is the
RateLimiter port: in-process memory, or Redis when several processes share the limits.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from godwit.api.auth import bearer_token
from godwit.api.context import client_ip, services
from godwit.api.http import error_response
from godwit.api.middleware import add_headers_on_start
from godwit.config import Settings
from godwit.domain.client_address import limit_subject
from godwit.domain.secrets import token_hash
from godwit.ports.ratelimit import RateLimiter, RateLimitResult

log = logging.getLogger("godwit.api.ratelimit")

LIMITED_PATH_PREFIXES = ("/api/", "/oauth/")
# Mastodon's fixed limits for destructive or costly actions, per account.
PER_ACCOUNT_LIMIT = 30
PER_ACCOUNT_WINDOW = 1800
_STATUS_DELETE = re.compile(r"/api/v1/statuses/[^/]+/?")
_STATUS_UNREBLOG = re.compile(r"/api/v1/statuses/[^/]+/unreblog/?")
_MEDIA_UPLOAD = re.compile(r"/api/v[12]/media/?")


@dataclass(frozen=True, slots=True)
class Bucket:
    key: str
    limit: int
    window_seconds: int


def rate_limit_headers(result: RateLimitResult) -> dict[str, str]:
    reset = result.reset_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # Mastodon's iso8601(6)
    return {
        "X-RateLimit-Limit": str(result.limit),
        "X-RateLimit-Remaining": str(result.remaining),
        "X-RateLimit-Reset": reset,
    }


def most_restrictive(results: Sequence[RateLimitResult]) -> RateLimitResult:
    """The result to report: a refusal first, then the one with the fewest hits left."""
    return min(results, key=lambda r: (r.allowed, r.remaining, r.limit))


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings, limiter: RateLimiter) -> None:
        self.app = app
        self.settings = settings
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.settings.rate_limits_enabled
            or scope["method"] == "OPTIONS"
            or not scope["path"].startswith(LIMITED_PATH_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        buckets = await self.buckets_for(request)
        try:
            results = [await self.limiter.hit(b.key, b.limit, b.window_seconds) for b in buckets]
        except Exception:
            # Fail open: a cache outage must not take the whole API down with it.
            log.exception("rate limiter unavailable; request not limited")
            await self.app(scope, receive, send)
            return
        headers = rate_limit_headers(most_restrictive(results))
        refused = [r for r in results if not r.allowed]
        if refused:
            response = error_response(429, "Too many requests")
            response.headers.update(headers)
            response.headers["Retry-After"] = str(max(r.retry_after for r in refused))
            await response(scope, receive, send)
            return
        await self.app(scope, receive, add_headers_on_start(send, headers, overwrite=False))

    async def buckets_for(self, request: Request) -> list[Bucket]:
        settings = self.settings
        ip = limit_subject(client_ip(request))  # an IPv6 client counts by its /64
        token = bearer_token(request)
        account_id = None
        if token is not None:
            credentials = await services(request).oauth.authenticate(token)
            if credentials is not None:
                # Cached where godwit.api.auth looks, so the endpoint does not look it up again.
                request.scope["godwit.credentials"] = credentials
                account_id = credentials.account_id
            else:
                token = None  # an invalid token counts against the IP, not a bucket of its own
        general = f"token:{token_hash(token)}" if token else f"ip:{ip}"
        buckets = [Bucket(general, settings.rate_limit_requests, settings.rate_limit_window)]
        method, path = request.method, request.url.path
        if method == "POST" and path.rstrip("/") == "/api/v1/accounts":
            buckets.append(Bucket(f"signup:{ip}", settings.signup_limit, settings.signup_window))
        if account_id is not None:
            if (method == "DELETE" and _STATUS_DELETE.fullmatch(path)) or (
                method == "POST" and _STATUS_UNREBLOG.fullmatch(path)
            ):
                buckets.append(
                    Bucket(f"statuses:{account_id}", PER_ACCOUNT_LIMIT, PER_ACCOUNT_WINDOW)
                )
            elif method == "POST" and _MEDIA_UPLOAD.fullmatch(path):
                buckets.append(Bucket(f"media:{account_id}", PER_ACCOUNT_LIMIT, PER_ACCOUNT_WINDOW))
        return buckets
