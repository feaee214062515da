"""Finding people and posts: endorsements, familiar followers, suggestions, the directory,
trending posts, announcements and the instance's extended description."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import optional_auth, require_user, viewer_id
from godwit.api.context import params, services
from godwit.api.http import json_response, link_header
from godwit.domain.discovery import directory_order
from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.pagination import clamp_limit
from godwit.entities.accounts import render_account, render_accounts
from godwit.entities.discovery import (
    render_announcement,
    render_extended_description,
    render_suggestion,
)
from godwit.entities.relationships import render_relationship
from godwit.entities.statuses import render_statuses

ACCOUNTS_LIMIT = 40
ACCOUNTS_MAX_LIMIT = 80
TRENDS_LIMIT = 20
TRENDS_MAX_LIMIT = 40
MAX_OFFSET = 1_000
MAX_ACCOUNTS_BY_ID = 40


def _me(account_id: int | None) -> int:
    assert account_id is not None  # require_user guarantees a member
    return account_id


def _path_id(request: Request, name: str = "id") -> int:
    parsed = parse_id(request.path_params.get(name))
    if parsed is None:
        raise NotFound()
    return parsed


def _offset(value: int | None) -> int:
    return min(max(0, value or 0), MAX_OFFSET)


# -- endorsements ------------------------------------------------------------------------


async def endorse(request: Request) -> Response:
    creds = await require_user(request, "write:accounts")
    rel = await services(request).discovery.endorse(_me(creds.account_id), _path_id(request))
    return json_response(render_relationship(rel))


async def unendorse(request: Request) -> Response:
    creds = await require_user(request, "write:accounts")
    rel = await services(request).discovery.unendorse(_me(creds.account_id), _path_id(request))
    return json_response(render_relationship(rel))


async def endorsements(request: Request) -> Response:
    creds = await require_user(request, "read:accounts")
    page = (await params(request)).page(ACCOUNTS_LIMIT, ACCOUNTS_MAX_LIMIT)
    listed = await services(request).discovery.endorsements(_me(creds.account_id), page)
    body = render_accounts([item.account for item in listed], services(request).settings)
    return json_response(body, headers=link_header(request, [item.cursor for item in listed]))


async def account_endorsements(request: Request) -> Response:
    """GET /api/v1/accounts/:id/endorsements (Mastodon 4.4): another account's featured
    accounts; a token is optional."""
    creds = await optional_auth(request, "read:accounts")
    page = (await params(request)).page(ACCOUNTS_LIMIT, ACCOUNTS_MAX_LIMIT)
    listed = await services(request).discovery.endorsements_of(
        _path_id(request), viewer_id(creds), page
    )
    body = render_accounts([item.account for item in listed], services(request).settings)
    return json_response(body, headers=link_header(request, [item.cursor for item in listed]))


async def familiar_followers(request: Request) -> Response:
    """GET /api/v1/accounts/familiar_followers?id[]=: for each account, its followers whom
    the member follows."""
    creds = await require_user(request, "read:follows")
    ids = (await params(request)).id_list("id", max_items=MAX_ACCOUNTS_BY_ID)
    found = await services(request).discovery.familiar_followers(_me(creds.account_id), ids)
    settings = services(request).settings
    return json_response(
        [
            {"id": str(item.account_id), "accounts": render_accounts(item.accounts, settings)}
            for item in found
        ]
    )


# -- suggestions and directory -----------------------------------------------------------


async def _suggestions(request: Request) -> list[dict[str, object]]:
    creds = await require_user(request, "read")
    limit = clamp_limit((await params(request)).int("limit"), ACCOUNTS_LIMIT, ACCOUNTS_MAX_LIMIT)
    found = await services(request).discovery.suggestions(_me(creds.account_id), limit)
    settings = services(request).settings
    return [render_suggestion(item, settings) for item in found]


async def suggestions_v2(request: Request) -> Response:
    return json_response(await _suggestions(request))


async def suggestions_v1(request: Request) -> Response:
    """Version 1 lists the accounts alone."""
    return json_response([item["account"] for item in await _suggestions(request)])


async def dismiss_suggestion(request: Request) -> Response:
    creds = await require_user(request, "read")
    target = _path_id(request, "account_id")
    await services(request).discovery.dismiss_suggestion(_me(creds.account_id), target)
    return json_response({})


async def directory(request: Request) -> Response:
    await optional_auth(request, "read:accounts")
    p = await params(request)
    found = await services(request).discovery.directory(
        offset=_offset(p.int("offset")),
        limit=clamp_limit(p.int("limit"), ACCOUNTS_LIMIT, ACCOUNTS_MAX_LIMIT),
        order=directory_order(p.str("order", max_length=16)),
        local_only=bool(p.bool("local", False)),
    )
    settings = services(request).settings
    return json_response([render_account(account, settings) for account in found])


# -- trends ------------------------------------------------------------------------------


async def trending_statuses(request: Request) -> Response:
    creds = await optional_auth(request, "read:statuses")
    p = await params(request)
    views = await services(request).discovery.trending_statuses(
        viewer_id(creds),
        _offset(p.int("offset")),
        clamp_limit(p.int("limit"), TRENDS_LIMIT, TRENDS_MAX_LIMIT),
    )
    return json_response(render_statuses(views, services(request).settings))


# -- announcements and the extended description ------------------------------------------


async def announcements(request: Request) -> Response:
    creds = await require_user(request, "read")
    found = await services(request).discovery.announcements(_me(creds.account_id))
    return json_response([render_announcement(item) for item in found])


async def dismiss_announcement(request: Request) -> Response:
    creds = await require_user(request, "write:accounts")
    await services(request).discovery.dismiss_announcement(_me(creds.account_id), _path_id(request))
    return json_response({})


async def extended_description(request: Request) -> Response:
    description = await services(request).discovery.extended_description()
    return json_response(render_extended_description(description))


routes: list[BaseRoute] = [
    Route("/api/v1/accounts/{id}/pin", endorse, methods=["POST"]),
    Route("/api/v1/accounts/{id}/unpin", unendorse, methods=["POST"]),
    # Mastodon 4.4's names for pin and unpin.
    Route("/api/v1/accounts/{id}/endorse", endorse, methods=["POST"]),
    Route("/api/v1/accounts/{id}/unendorse", unendorse, methods=["POST"]),
    Route("/api/v1/accounts/{id}/endorsements", account_endorsements, methods=["GET"]),
    Route("/api/v1/accounts/familiar_followers", familiar_followers, methods=["GET"]),
    Route("/api/v1/endorsements", endorsements, methods=["GET"]),
    Route("/api/v2/suggestions", suggestions_v2, methods=["GET"]),
    Route("/api/v1/suggestions", suggestions_v1, methods=["GET"]),
    Route("/api/v1/suggestions/{account_id}", dismiss_suggestion, methods=["DELETE"]),
    Route("/api/v1/directory", directory, methods=["GET"]),
    Route("/api/v1/trends/statuses", trending_statuses, methods=["GET"]),
    Route("/api/v1/announcements", announcements, methods=["GET"]),
    Route("/api/v1/announcements/{id}/dismiss", dismiss_announcement, methods=["POST"]),
    Route("/api/v1/instance/extended_description", extended_description, methods=["GET"]),
]
