"""The OAuth consent page: GET/POST /oauth/authorize, a page of the web app.

A browser signed in to the web app (``session.py``) is asked only for consent: "you are
signed in as @name", Authorize or Deny; the code is issued to that member. The form names
the account it showed, so a code is never issued to another member whose session took the
browser's place meanwhile. Without a session (or with Mastodon's ``force_login``), the page
asks for the login and password together with the consent, throttled as the sign-in page
is. Either way the POST needs the CSRF token, and the page cannot be framed.

It works without JavaScript. Errors about the client or its redirect URI are shown on a
page and never redirected: only a URI the app registered may receive a redirect (RFC 6749
4.1.2.1).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

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
from godwit.web.pages import frame, render_page
from godwit.web.scope_labels import describe_all
from godwit.web.session import Viewer, current_viewer

MAX_FIELD = 2048
# The account a consent-only form was shown for (the browser's signed-in member).
SESSION_FIELD = "session_account"
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
    viewer = None
    if request.query_params.get("force_login", "").lower() not in ("true", "1"):
        viewer = await current_viewer(request)
    return await _consent_page(request, authorization, lang, viewer=viewer)


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
    session_account = _field(form, SESSION_FIELD)
    if session_account is not None:
        return await _consent_by_session(request, authorization, lang, session_account)
    login = _field(form, "login") or ""
    oauth = services(request).oauth
    try:
        user = await oauth.sign_in(
            login,
            _field(form, "password") or "",
            ip=client_ip(request),
            check_password=services(request).accounts.authenticate_password,
        )
    except RateLimited as error:
        return await _consent_page(
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
        return await _consent_page(
            request, authorization, lang, login=login, error=error.message, status_code=status
        )
    return _issued(request, authorization, lang, await oauth.issue_code(authorization, user))


async def _consent_by_session(
    request: Request, authorization: AuthorizationRequest, lang: str, session_account: str
) -> Response:
    """Consent given by the browser's signed-in member: the one the page showed, still
    signed in (a session that ended or changed hands since shows the page again)."""
    viewer = await current_viewer(request)
    if viewer is None or str(viewer.account_id) != session_account:
        return await _consent_page(
            request,
            authorization,
            lang,
            viewer=viewer,
            error="You are no longer signed in as the account this page showed. "
            "Check the account below and try again.",
            status_code=409,
        )
    own = await services(request).accounts.credentials(viewer.account_id)
    code = await services(request).oauth.issue_code(authorization, own.user)
    return _issued(request, authorization, lang, code)


def _issued(
    request: Request, authorization: AuthorizationRequest, lang: str, code: str
) -> Response:
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


async def _consent_page(
    request: Request,
    authorization: AuthorizationRequest,
    lang: str,
    *,
    viewer: Viewer | None = None,
    login: str = "",
    error: str | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Consent only for ``viewer`` (the browser's signed-in member), else with a password."""
    request_fields = [
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
    hidden = list(request_fields)
    if viewer is not None:
        hidden.append((SESSION_FIELD, str(viewer.account_id)))
    # "Use another account": the same request, asking for a login (Mastodon's force_login).
    switch_url = "/oauth/authorize?" + urlencode(
        [(name, value) for name, value in request_fields if value] + [("force_login", "true")]
    )
    return render_page(
        request,
        "oauth_authorize.html",
        {
            **(await frame(request)),
            **_common(request, lang),
            "app_name": authorization.app.name,
            "app_website": authorization.app.website,
            "scopes": describe_all(authorization.scopes),
            "hidden": hidden,
            "signed_in": viewer.account if viewer is not None else None,
            "switch_url": switch_url,
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
