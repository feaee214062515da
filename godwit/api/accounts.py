"""Account endpoints: sign-up, own credentials, profile edits, lookup, search and show."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import optional_auth, require_auth, require_user
from godwit.api.context import client_ip, params, services
from godwit.api.http import Params, json_response
from godwit.api.media import profile_image, upload_params
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.domain.media import ImagePurpose
from godwit.domain.oauth import scope_string
from godwit.entities.accounts import (
    render_account,
    render_accounts,
    render_credential_account,
)
from godwit.services.accounts import OwnAccount, SignUp
from godwit.services.profiles import ProfileUpdate

SEARCH_LIMIT = 40
SEARCH_MAX_LIMIT = 80
# Generous caps on raw input; the real limits (30, 500, 255…) answer with field details.
MAX_INPUT = 10_000


def _own_account_response(request: Request, own: OwnAccount) -> Response:
    entity = render_credential_account(
        own.account,
        own.user,
        services(request).settings,
        follow_requests_count=own.follow_requests_count,
    )
    return json_response(entity)


async def register(request: Request) -> Response:
    """POST /api/v1/accounts: sign up through an app token; answers with the new token."""
    creds = await require_auth(request, "write:accounts")
    p = await params(request)
    sign_up = SignUp(
        username=(p.str("username", "", max_length=MAX_INPUT) or "").strip(),
        email=(p.str("email", "", max_length=MAX_INPUT) or "").strip(),
        password=p.str("password", "", max_length=MAX_INPUT) or "",
        agreement=bool(p.bool("agreement", False)),
        locale=(p.str("locale", "en", max_length=64) or "en").strip(),
        reason=(p.str("reason", "", max_length=MAX_INPUT) or "").strip(),
        ip=client_ip(request),
    )
    registered = await services(request).accounts.register(
        sign_up, app_id=creds.app_id, scopes=creds.scopes
    )
    token = registered.token
    return json_response(
        {
            "access_token": token.access_token,
            "token_type": "Bearer",
            "scope": scope_string(token.scopes),
            "created_at": int(token.created_at.timestamp()),
        }
    )


async def verify_credentials(request: Request) -> Response:
    creds = await require_user(request, "read:accounts|profile")
    assert creds.account_id is not None
    own = await services(request).accounts.credentials(creds.account_id)
    return _own_account_response(request, own)


def _invalid(name: str, description: str) -> Invalid:
    return Invalid(
        f"Validation failed: {name} {description}", {name: [("ERR_INVALID", description)]}
    )


def _field_pairs(p: Params) -> tuple[tuple[str, str], ...] | None:
    """``fields_attributes`` as an array or as a dict keyed by index (form encoding)."""
    if "fields_attributes" not in p:
        return None
    pairs = []
    for item in p.list("fields_attributes"):
        if item == "":  # "fields_attributes=" from a form: clear every field
            continue
        if not isinstance(item, dict):
            raise _invalid("fields_attributes", "must be a list of {name, value} objects")
        name, value = item.get("name", ""), item.get("value", "")
        if not isinstance(name, str) or not isinstance(value, str):
            raise _invalid("fields_attributes", "names and values must be strings")
        if len(name) > MAX_INPUT or len(value) > MAX_INPUT or "\x00" in name + value:
            raise _invalid("fields_attributes", "is too long or contains NUL characters")
        pairs.append((name, value))
    return tuple(pairs)


def _source(p: Params) -> dict[str, Any]:
    source = p.dict("source")
    nested = Params(source)
    return {
        "privacy": nested.str("privacy", max_length=64),
        "sensitive": nested.bool("sensitive"),
        "language": nested.str("language", max_length=64),
    }


async def update_credentials(request: Request) -> Response:
    creds = await require_user(request, "write:accounts")
    assert creds.account_id is not None
    p = await upload_params(request)  # avatar and header may be larger than other bodies
    update = ProfileUpdate(
        display_name=p.str("display_name", max_length=MAX_INPUT),
        note=p.str("note", max_length=MAX_INPUT),
        locked=p.bool("locked"),
        bot=p.bool("bot"),
        discoverable=p.bool("discoverable"),
        indexable=p.bool("indexable"),
        fields=_field_pairs(p),
        **_source(p),
    )
    stored: list[str | None] = []  # images processed and stored for this update
    try:
        stored.append(await profile_image(request, creds.account_id, p, ImagePurpose.AVATAR))
        stored.append(await profile_image(request, creds.account_id, p, ImagePurpose.HEADER))
        update = replace(update, avatar_url=stored[0], header_url=stored[1])
        own = await services(request).accounts.update_credentials(creds.account_id, update)
    except BaseException:  # not saved: the files just stored are nobody's
        await services(request).media.discard_profile_images(stored)
        raise
    return _own_account_response(request, own)


async def show(request: Request) -> Response:
    """GET /api/v1/accounts/:id; public, but a token, if sent, must be valid."""
    await optional_auth(request, "read:accounts")
    account_id = parse_id(request.path_params["id"])
    if account_id is None:
        raise NotFound()
    account = await services(request).accounts.get(account_id)
    return json_response(render_account(account, services(request).settings))


async def lookup(request: Request) -> Response:
    await optional_auth(request, "read:accounts")
    p = await params(request)
    acct = p.str("acct", "", max_length=MAX_INPUT) or ""
    if not acct.strip():
        raise NotFound()
    account = await services(request).accounts.lookup(acct)
    return json_response(render_account(account, services(request).settings))


async def search(request: Request) -> Response:
    creds = await require_user(request, "read:accounts")
    p = await params(request)
    query = p.required_str("q", max_length=MAX_INPUT)
    limit = p.int("limit", SEARCH_LIMIT) or SEARCH_LIMIT
    offset = p.int("offset", 0) or 0
    if limit < 1 or offset < 0:
        raise _invalid("limit" if limit < 1 else "offset", "must not be negative")
    p.bool("resolve")  # accepted for compatibility: there are no remote accounts to resolve
    accounts = await services(request).accounts.search(
        query,
        limit=min(limit, SEARCH_MAX_LIMIT),
        offset=offset,
        viewer_id=creds.account_id,
        following=bool(p.bool("following", False)),
    )
    return json_response(render_accounts(accounts, services(request).settings))


# Literal paths; ``id_routes`` must come after every other /api/v1/accounts/<word> route.
routes: list[BaseRoute] = [
    Route("/api/v1/accounts", register, methods=["POST"]),
    Route("/api/v1/accounts/verify_credentials", verify_credentials, methods=["GET"]),
    Route("/api/v1/accounts/update_credentials", update_credentials, methods=["PATCH"]),
    Route("/api/v1/accounts/lookup", lookup, methods=["GET"]),
    Route("/api/v1/accounts/search", search, methods=["GET"]),
]
id_routes: list[BaseRoute] = [
    Route("/api/v1/accounts/{id}", show, methods=["GET"]),
]
