"""Per-request access to the wired services for HTML pages (the web adapter's own, as
adapters do not import each other)."""

from __future__ import annotations

from typing import cast

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
