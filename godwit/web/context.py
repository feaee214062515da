"""Per-request access to the wired services for HTML pages (the web adapter's own, as
adapters do not import each other)."""

from __future__ import annotations

from typing import Any, cast

from starlette.requests import Request

from godwit.domain.client_address import forwarded_client
from godwit.services.container import Services


def services(request: Request) -> Services:
    return cast(Services, request.app.state.services)


def client_ip(request: Request) -> str:
    """The caller's address, trusting only as many X-Forwarded-For hops as configured."""
    return forwarded_client(
        request.headers.get("x-forwarded-for", ""),
        request.client.host if request.client else None,
        services(request).settings.trusted_proxy_count,
    )


_ESSENTIALS_KEY = "godwit.instance_essentials"


async def instance_essentials(request: Request) -> dict[str, Any]:
    """The server's title, description, registration mode and character limit, read once
    per request (the page frame, the compose form and the page itself all need them)."""
    cached: dict[str, Any] | None = request.scope.get(_ESSENTIALS_KEY)
    if cached is None:
        cached = await services(request).instance.essentials()
        request.scope[_ESSENTIALS_KEY] = cached
    return cached
