"""CSRF protection for HTML forms: a random value in a cookie, its HMAC in the form.

The cookie is HttpOnly and SameSite=Lax, so another site can neither read it nor have the
browser send it with a cross-site POST; the form field is the cookie's HMAC under the
server secret, so it cannot be forged without the secret even by someone who can set a
cookie (a sibling subdomain).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from starlette.requests import Request
from starlette.responses import Response

from godwit.config import load_secret_key
from godwit.web.context import services

COOKIE_NAME = "godwit_csrf"
FIELD_NAME = "authenticity_token"
_COOKIE_RE = re.compile(r"^[A-Za-z0-9_\-]{32,64}$")


def _secret(request: Request) -> bytes:
    state = request.app.state
    key = getattr(state, "web_secret_key", None)
    if key is None:
        key = load_secret_key(services(request).settings)
        state.web_secret_key = key
    return str(key).encode("utf-8")


def _sign(request: Request, nonce: str) -> str:
    return hmac.new(_secret(request), f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()


def _cookie_nonce(request: Request) -> str | None:
    value = request.cookies.get(COOKIE_NAME, "")
    return value if _COOKIE_RE.fullmatch(value) else None


def form_token(request: Request) -> tuple[str, str | None]:
    """The token to put in the form, and a new cookie value when one must be set."""
    nonce = _cookie_nonce(request)
    if nonce is not None:
        return _sign(request, nonce), None
    nonce = secrets.token_urlsafe(32)
    return _sign(request, nonce), nonce


def set_cookie(request: Request, response: Response, nonce: str | None) -> None:
    if nonce is None:
        return
    response.set_cookie(
        COOKIE_NAME,
        nonce,
        httponly=True,
        samesite="lax",
        secure=services(request).settings.scheme == "https",
        path="/",
    )


def is_valid(request: Request, submitted: object) -> bool:
    nonce = _cookie_nonce(request)
    if nonce is None or not isinstance(submitted, str) or len(submitted) > 128:
        return False
    return hmac.compare_digest(_sign(request, nonce), submitted)
