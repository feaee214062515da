"""Bearer-token authentication and scope enforcement for API endpoints."""

from __future__ import annotations

from starlette.requests import Request

from godwit.api.context import services
from godwit.domain.errors import Forbidden, Invalid, Unauthorized
from godwit.domain.oauth import Credentials
from godwit.domain.scopes import satisfies


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


async def optional_auth(request: Request, scope: str) -> Credentials | None:
    """Credentials if a token was sent (it must then be valid and hold ``scope``)."""
    cached = request.scope.get("godwit.credentials")
    if cached is None:
        token = bearer_token(request)
        if token is None:
            return None
        cached = await services(request).oauth.authenticate(token)
        if cached is None:
            raise Unauthorized()
        request.scope["godwit.credentials"] = cached
    assert isinstance(cached, Credentials)
    if cached.refusal is not None:  # pending approval or disabled: 403, as Mastodon
        raise Forbidden(cached.refusal)
    if not satisfies(cached.scopes, scope):
        raise Forbidden("This action is outside the authorized scopes")
    return cached


async def require_auth(request: Request, scope: str) -> Credentials:
    """Any valid token (an app's or a member's) holding ``scope``."""
    credentials = await optional_auth(request, scope)
    if credentials is None:
        raise Unauthorized("The access token is invalid")
    return credentials


async def require_user(request: Request, scope: str) -> Credentials:
    """A member's token holding ``scope``; the account id is then guaranteed."""
    credentials = await require_auth(request, scope)
    if credentials.account_id is None:
        raise Invalid("This method requires an authenticated user")
    return credentials


def viewer_id(credentials: Credentials | None) -> int | None:
    return credentials.account_id if credentials else None
