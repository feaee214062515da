"""OAuth endpoints that answer JSON: app registration, token, revocation, server metadata.

The HTML consent page (/oauth/authorize) is in godwit/web/oauth.py. Token and revocation
errors use RFC 6749's shape, ``{"error": "invalid_grant", "error_description": "…"}``,
which OAuth client libraries parse, rather than Mastodon's API error shape.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import unquote_plus

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_auth
from godwit.api.context import client_ip, params, services
from godwit.api.http import Params, json_response
from godwit.domain.errors import Invalid, RateLimited
from godwit.domain.oauth import IssuedToken, OAuthApp, OAuthError, scope_string
from godwit.domain.scopes import ALL_SCOPES, PUBLISHED_ORDER
from godwit.entities.applications import render_application, render_credential_application

# verify_credentials accepts a token holding any scope at all.
ANY_SCOPE = "|".join(sorted(ALL_SCOPES))
MAX_PARAM = 2048
# Token responses carry secrets: never cached (RFC 6749 5.1).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def create_app(request: Request) -> Response:
    p = await params(request)
    name = p.required_str("client_name", max_length=100_000)
    app, secret = await services(request).oauth.register_app(
        name=name,
        redirect_uris=_str_or_list(p, "redirect_uris"),
        scopes=_str_or_list(p, "scopes") if "scopes" in p else None,
        website=p.str("website", max_length=100_000),
    )
    return json_response(render_credential_application(app, secret))


async def verify_app_credentials(request: Request) -> Response:
    credentials = await require_auth(request, ANY_SCOPE)
    app = await services(request).oauth.get_app(credentials.app_id)
    return json_response(render_application(app))


async def token(request: Request) -> Response:
    try:
        p = await params(request)
        issued = await _grant(request, p)
    except OAuthError as error:
        return _oauth_error(error)
    except Invalid as error:
        return _oauth_error(OAuthError("invalid_request", error.message))
    except RateLimited as error:
        response = _oauth_error(OAuthError("invalid_grant", error.message, status=429))
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    return json_response(
        {
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "scope": scope_string(issued.scopes),
            "created_at": int(issued.created_at.timestamp()),
        },
        headers=NO_STORE,
    )


async def _grant(request: Request, p: Params) -> IssuedToken:
    oauth = services(request).oauth
    grant_type = p.str("grant_type", max_length=MAX_PARAM)
    if not grant_type:
        raise OAuthError("invalid_request", "The grant_type parameter is missing.")
    if grant_type not in _grant_types(request):
        raise OAuthError("unsupported_grant_type", "This grant type is not supported.")
    app = await _client(request, p)
    scope = p.str("scope", max_length=MAX_PARAM)
    if grant_type == "authorization_code":
        return await oauth.exchange_code(
            app,
            code=p.str("code", max_length=MAX_PARAM),
            redirect_uri=p.str("redirect_uri", max_length=MAX_PARAM),
            verifier=p.str("code_verifier", max_length=MAX_PARAM),
        )
    if grant_type == "client_credentials":
        return await oauth.client_credentials_token(app, scope)
    return await oauth.password_token(
        app,
        username=p.str("username", max_length=MAX_PARAM),
        password=p.str("password", max_length=MAX_PARAM),
        scope=scope,
        ip=client_ip(request),
        check_password=services(request).accounts.authenticate_password,
    )


async def revoke(request: Request) -> Response:
    try:
        p = await params(request)
        app = await _client(request, p)
        await services(request).oauth.revoke(app, p.str("token", max_length=MAX_PARAM))
    except OAuthError as error:
        return _oauth_error(error)
    except Invalid as error:
        return _oauth_error(OAuthError("invalid_request", error.message))
    return json_response({})


async def authorization_server_metadata(request: Request) -> Response:
    base = services(request).settings.base_url
    return json_response(
        {
            "issuer": f"{base}/",
            "service_documentation": "https://docs.joinmastodon.org/",
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "app_registration_endpoint": f"{base}/api/v1/apps",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "scopes_supported": list(PUBLISHED_ORDER),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": _grant_types(request),
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }
    )


def _grant_types(request: Request) -> list[str]:
    grants = ["authorization_code", "client_credentials"]
    if services(request).settings.enable_password_grant:
        grants.append("password")
    return grants


async def _client(request: Request, p: Params) -> OAuthApp:
    """Client authentication: HTTP Basic (client_secret_basic) or body (client_secret_post)."""
    client_id = p.str("client_id", max_length=MAX_PARAM)
    client_secret = p.str("client_secret", max_length=MAX_PARAM)
    basic = _basic_credentials(request)
    if basic is not None:
        if client_id is not None and client_id != basic[0]:
            raise OAuthError("invalid_request", "Client credentials were given twice.")
        client_id, client_secret = basic
    return await services(request).oauth.authenticate_client(client_id, client_secret)


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client", "Malformed HTTP Basic credentials", 401) from None
    client_id, separator, secret = decoded.partition(":")
    if not separator:
        raise OAuthError("invalid_client", "Malformed HTTP Basic credentials", 401)
    # RFC 6749 2.3.1: both parts are form-urlencoded before being joined.
    return unquote_plus(client_id), unquote_plus(secret)


def _oauth_error(error: OAuthError) -> Response:
    headers = dict(NO_STORE)
    if error.status == 401:
        # As Doorkeeper does: a Bearer challenge, so browsers show no Basic login dialog.
        headers["WWW-Authenticate"] = (
            f'Bearer realm="Godwit", error="{error.error}", error_description="{error.description}"'
        )
    body: dict[str, Any] = {"error": error.error, "error_description": error.description}
    return json_response(body, error.status, headers)


def _str_or_list(p: Params, name: str) -> str | list[str]:
    """A parameter sent either as one string or as an array (``name[]``, JSON list)."""
    if isinstance(p.raw(name), list | dict):
        return p.str_list(name)
    return p.str(name, max_length=100_000) or ""


routes: list[BaseRoute] = [
    Route("/api/v1/apps", create_app, methods=["POST"]),
    Route("/api/v1/apps/verify_credentials", verify_app_credentials, methods=["GET"]),
    Route("/oauth/token", token, methods=["POST"]),
    Route("/oauth/revoke", revoke, methods=["POST"]),
    Route(
        "/.well-known/oauth-authorization-server",
        authorization_server_metadata,
        methods=["GET"],
    ),
]
