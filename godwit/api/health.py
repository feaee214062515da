"""GET /health: Mastodon's health check for load balancers and orchestrators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from godwit.api.context import services


async def health(request: Request) -> Response:
    """Plain "OK" once the database answered a trivial query; 503 when it does not."""
    headers = {"Cache-Control": "no-store"}
    if await services(request).health.database_ok():
        return PlainTextResponse("OK", headers=headers)
    return PlainTextResponse("Service Unavailable", status_code=503, headers=headers)


routes: list[BaseRoute] = [Route("/health", health, methods=["GET"])]
