"""GET /api/v1/accounts?id[]= (Mastodon 4.3): several accounts in one request."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import optional_auth
from godwit.api.context import params, services
from godwit.api.http import json_response
from godwit.entities.accounts import render_accounts

MAX_ACCOUNTS_BY_ID = 40  # Mastodon's limit; more is a 422


async def accounts_by_id(request: Request) -> Response:
    """The known accounts, in the order asked; unknown ids are skipped and suspended
    accounts shown as Mastodon shows them (``suspended: true``, profile emptied)."""
    await optional_auth(request, "read:accounts")
    ids = (await params(request)).id_list("id", max_items=MAX_ACCOUNTS_BY_ID)
    found = await services(request).accounts.get_many(ids)
    return json_response(render_accounts(found, services(request).settings))


# Beside POST /api/v1/accounts (sign-up): Starlette tries the next route on a method mismatch.
routes: list[BaseRoute] = [Route("/api/v1/accounts", accounts_by_id, methods=["GET"])]
