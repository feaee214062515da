"""Who is looking at a page: the browser session cookie, resolved once per request.

The cookie holds a web-session token (``services/web_sessions.py``): HttpOnly, so no script
can read it; SameSite=Lax, so another site cannot make the browser send it with a POST;
Secure when the server is reached over HTTPS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.oauth import Credentials
from godwit.entities.accounts import render_account
from godwit.web.context import services

COOKIE_NAME = "godwit_session"
MAX_AGE_SECONDS = 60 * 60 * 24 * 30
_CACHE_KEY = "godwit.web_viewer"


class SignInRequired(Exception):
    """The page needs a signed-in member; the wrapper sends the browser to sign in."""


@dataclass(frozen=True, slots=True)
class Viewer:
    credentials: Credentials
    account: dict[str, Any]  # the member's Mastodon Account entity, for the page frame

    @property
    def account_id(self) -> int:
        assert self.credentials.account_id is not None
        return self.credentials.account_id

    @property
    def role(self) -> str:
        return self.credentials.role

    @property
    def is_staff(self) -> bool:
        return self.credentials.role in ("moderator", "admin")

    @property
    def is_admin(self) -> bool:
        return self.credentials.role == "admin"


async def current_viewer(request: Request) -> Viewer | None:
    if _CACHE_KEY in request.scope:
        cached: Viewer | None = request.scope[_CACHE_KEY]
        return cached
    viewer = await _resolve(request)
    request.scope[_CACHE_KEY] = viewer
    return viewer


async def require_viewer(request: Request) -> Viewer:
    viewer = await current_viewer(request)
    if viewer is None:
        raise SignInRequired()
    return viewer


async def _resolve(request: Request) -> Viewer | None:
    token = session_token(request)
    if token is None:
        return None
    wired = services(request)
    credentials = await wired.web_sessions.resume(token)
    if credentials is None or credentials.refusal is not None:
        return None
    assert credentials.account_id is not None
    account = await wired.accounts.get(credentials.account_id)
    if account.suspended:
        return None
    return Viewer(credentials, render_account(account, wired.settings))


def session_token(request: Request) -> str | None:
    value = request.cookies.get(COOKIE_NAME, "")
    return value if 0 < len(value) <= 512 else None


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="lax",
        secure=services(request).settings.scheme == "https",
        path="/",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE_NAME,
        httponly=True,
        samesite="lax",
        secure=services(request).settings.scheme == "https",
        path="/",
    )
