"""/api/v1/domain_blocks: the remote servers a member hides everything from."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import params, services
from godwit.api.http import json_response, link_header

DOMAIN_BLOCKS_LIMIT = 100
DOMAIN_BLOCKS_MAX_LIMIT = 200


def _me(account_id: int | None) -> int:
    assert account_id is not None  # require_user guarantees a member
    return account_id


async def list_domain_blocks(request: Request) -> Response:
    creds = await require_user(request, "read:blocks")
    page = (await params(request)).page(DOMAIN_BLOCKS_LIMIT, DOMAIN_BLOCKS_MAX_LIMIT)
    rows = await services(request).domain_blocks.listing(_me(creds.account_id), page)
    return json_response(
        [domain for _, domain in rows],
        headers=link_header(request, [cursor for cursor, _ in rows]),
    )


async def block_domain(request: Request) -> Response:
    creds = await require_user(request, "write:blocks")
    domain = (await params(request)).required_str("domain", max_length=1000)
    await services(request).domain_blocks.block(_me(creds.account_id), domain)
    return json_response({})


async def unblock_domain(request: Request) -> Response:
    creds = await require_user(request, "write:blocks")
    domain = (await params(request)).required_str("domain", max_length=1000)
    await services(request).domain_blocks.unblock(_me(creds.account_id), domain)
    return json_response({})


routes: list[BaseRoute] = [
    Route("/api/v1/domain_blocks", list_domain_blocks, methods=["GET"]),
    Route("/api/v1/domain_blocks", block_domain, methods=["POST"]),
    Route("/api/v1/domain_blocks", unblock_domain, methods=["DELETE"]),
]
