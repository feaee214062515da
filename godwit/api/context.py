"""Per-request access to the wired services and to parsed parameters."""

from __future__ import annotations

from typing import cast

from starlette.requests import Request

from godwit.api.http import Params, read_params
from godwit.domain.client_address import forwarded_client
from godwit.services.container import Services


def services(request: Request) -> Services:
    return cast(Services, request.app.state.services)


async def params(request: Request) -> Params:
    """Parsed once per request and cached on it."""
    cached = request.scope.get("godwit.params")
    if cached is None:
        cached = await read_params(request, services(request).settings.max_body_bytes)
        request.scope["godwit.params"] = cached
    return cast(Params, cached)


def client_ip(request: Request) -> str:
    """The caller's address, trusting only as many X-Forwarded-For hops as configured."""
    return forwarded_client(
        request.headers.get("x-forwarded-for", ""),
        request.client.host if request.client else None,
        services(request).settings.trusted_proxy_count,
    )
