"""The OAuth consent page: GET/POST /oauth/authorize.

Godwit has no browser sessions, so the page always asks for the member's login and
password together with the consent. It works without JavaScript. Errors about the client
or its redirect URI are shown on a page and never redirected: only a URI the app
registered may receive a redirect (RFC 6749 4.1.2.1).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from godwit.domain.errors import Forbidden, RateLimited, Unauthorized
from godwit.domain.oauth import (
    OOB_REDIRECT,
    AuthorizationRequest,
    OAuthError,
    RedirectableOAuthError,
    scope_string,
    with_fragment,
    with_query,
)
from godwit.web import csrf
from godwit.web.context import client_ip, services
from godwit.web.pages import render_page
from godwit.web.scope_labels import describe_all

MAX_FIELD = 2048
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_HOST_RE = re.compile(r"^[A-Za-z0-9.\-\[\]:]+$")
_REQUEST_FIELDS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "response_mode",
)


async def authorize_page(request: Request) -> Response:
    fields = {name: _field(request.query_params, name) for name in _REQUEST_FIELDS}
    lang = _lang(request.query_params.get("lang"))
    try:
        authorization = await _check(request, fields)
    except OAuthError as error:
        return _refusal(request, error, lang)
    return _consent_page(request, authorization, lang)


async def authorize_decision(request: Request) -> Response:
    settings = services(request).settings
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_body_bytes:
        return _error_page(request, "en", "Request too large", "The form is too large.", 413)
    try:
        form = await request.form(max_files=0, max_fields=64)
    except Exception:  # python-multipart raises several types on malformed bodies
        return _error_page(request, "en", "Bad request", "The form could not be read.", 400)
    lang = _lang(_field(form, "lang"))
    if not csrf.is_valid(request, form.get(csrf.FIELD_NAME)):
        return _error_page(
            request,
            lang,
            "The form has expired",
            "The form was not sent from this site or has expired. Go back and try again.",
            403,
        )
    fields = {name: _field(form, name) for name in _REQUEST_FIELDS}
    try:
        authorization = await _check(request, fields)
    except OAuthError as error:
        return _refusal(request, error, lang)
    if _field(form, "decision") != "authorize":
        return _deny(request, authorization, lang)
    login = _field(form, "login") or ""
    try:
        user = await services(request).oauth.sign_in(
            login,
            _field(form, "password") or "",
            ip=client_ip(request),
            check_password=services(request).accounts.authenticate_password,
        )
    except RateLimited as error:
        return _consent_page(
            request,
            authorization,
            lang,
            login=login,
            error=error.message,
            status_code=429,
            headers={"Retry-After": str(error.retry_after)},
        )
    except (Unauthorized, Forbidden) as error:
        status = 403 if isinstance(error, Forbidden) else 401
        return _consent_page(
            request, authorization, lang, login=login, error=error.message, status_code=status
        )
    code = await services(request).oauth.issue_code(authorization, user)
    if authorization.out_of_band:
        return render_page(
            request,
            "oauth_code.html",
            {**_common(request, lang), "app_name": authorization.app.name, "code": code},
        )
    return _deliver(request, authorization, {"code": code}, lang)


def _deliver(
    request: Request, authorization: AuthorizationRequest, params: dict[str, str], lang: str
) -> Response:
    """Send the result to the app the way it asked (RFC 6749 query, OAuth 2 response modes
    fragment and form_post). form_post needs a click: pages run no script."""
    if authorization.state:
        params = {**params, "state": authorization.state}
    if authorization.response_mode == "fragment":
        return RedirectResponse(with_fragment(authorization.redirect_uri, params), status_code=302)
    if authorization.response_mode == "form_post":
        return render_page(
            request,
            "oauth_form_post.html",
            {
                **_common(request, lang),
                "app_name": authorization.app.name,
                "action": authorization.redirect_uri,
                "fields": list(params.items()),
            },
            form_targets=_form_targets(authorization.redirect_uri),
        )
    return RedirectResponse(with_query(authorization.redirect_uri, params), status_code=302)


async def _check(request: Request, fields: Mapping[str, str | None]) -> AuthorizationRequest:
    return await services(request).oauth.authorization_request(
        client_id=fields["client_id"],
        redirect_uri=fields["redirect_uri"],
        response_type=fields["response_type"],
        scope=fields["scope"],
        state=fields["state"],
        code_challenge=fields["code_challenge"],
        code_challenge_method=fields["code_challenge_method"],
        response_mode=fields["response_mode"],
    )


def _consent_page(
    request: Request,
    authorization: AuthorizationRequest,
    lang: str,
    *,
    login: str = "",
    error: str | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    hidden = [
        ("client_id", authorization.app.client_id),
        ("redirect_uri", authorization.redirect_uri),
        ("response_type", "code"),
        ("scope", scope_string(authorization.scopes)),
        ("state", authorization.state),
        ("code_challenge", authorization.code_challenge or ""),
        ("code_challenge_method", authorization.code_challenge_method or ""),
        ("response_mode", authorization.response_mode),
        ("lang", lang),
    ]
    return render_page(
        request,
        "oauth_authorize.html",
        {
            **_common(request, lang),
            "app_name": authorization.app.name,
            "app_website": authorization.app.website,
            "scopes": describe_all(authorization.scopes),
            "hidden": hidden,
            "login": login,
            "error": error,
        },
        status_code=status_code,
        form_targets=_form_targets(authorization.redirect_uri),
        headers=headers,
    )


def _deny(request: Request, authorization: AuthorizationRequest, lang: str) -> Response:
    if authorization.out_of_band:
        return _error_page(
            request, lang, "Authorization denied", "You did not authorize the application.", 200
        )
    params = {"error": "access_denied", "error_description": "The user denied the request."}
    return _deliver(request, authorization, params, lang)


def _refusal(request: Request, error: OAuthError, lang: str) -> Response:
    """Redirect the error back to a verified redirect URI, or show it on a page."""
    if isinstance(error, RedirectableOAuthError) and error.redirect_uri != OOB_REDIRECT:
        params = {"error": error.error, "error_description": error.description}
        if error.state:
            params["state"] = error.state
        return RedirectResponse(with_query(error.redirect_uri, params), status_code=302)
    return _error_page(
        request, lang, "Authorization failed", error.description, 400, error_code=error.error
    )


def _error_page(
    request: Request,
    lang: str,
    heading: str,
    message: str,
    status_code: int,
    *,
    error_code: str | None = None,
) -> Response:
    return render_page(
        request,
        "oauth_error.html",
        {
            **_common(request, lang),
            "heading": heading,
            "message": message,
            "error_code": error_code,
        },
        status_code=status_code,
    )


def _common(request: Request, lang: str) -> dict[str, Any]:
    return {"lang": lang, "instance_title": services(request).settings.instance_title}


def _field(source: Mapping[str, Any], name: str) -> str | None:
    """A text field, or None when absent, not text, oversized or holding NUL."""
    value = source.get(name)
    if not isinstance(value, str) or len(value) > MAX_FIELD or "\x00" in value:
        return None
    return value


def _lang(raw: str | None) -> str:
    return raw if raw and len(raw) <= 35 and _LANG_RE.fullmatch(raw) else "en"


def _form_targets(redirect_uri: str) -> list[str]:
    """CSP sources for where the form's redirect leads: an origin, or a bare app scheme."""
    scheme, _, _ = redirect_uri.partition(":")
    if scheme.lower() in ("http", "https"):
        host = urlsplit(redirect_uri).netloc.rpartition("@")[2]
        return [f"{scheme.lower()}://{host}"] if host and _HOST_RE.fullmatch(host) else []
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*", scheme) and scheme.lower() != "urn":
        return [f"{scheme.lower()}:"]
    return []


routes: list[BaseRoute] = [
    Route("/oauth/authorize", authorize_page, methods=["GET"]),
    Route("/oauth/authorize", authorize_decision, methods=["POST"]),
]
