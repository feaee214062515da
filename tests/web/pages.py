"""Helpers for page tests: sign a member in, read a form's CSRF token, post a form."""

from __future__ import annotations

import re
from html import unescape

import httpx

from godwit.app import Components
from tests.factories import Member

SESSION_COOKIE = "godwit_session"
_TOKEN_RE = re.compile(r'name="authenticity_token" value="([^"]+)"')


async def sign_in(web: httpx.AsyncClient, components: Components, member: Member) -> None:
    """Give ``web`` a browser session of ``member`` (as the sign-in form would)."""
    token = await components.services.web_sessions.start(member.user_id)
    web.cookies.set(SESSION_COOKIE, token, domain="godwit.test")


async def csrf_token(web: httpx.AsyncClient, path: str = "/auth/sign_in") -> str:
    """The CSRF token a page's forms carry (and the cookie it pairs with, kept by ``web``)."""
    page = await web.get(path)
    assert page.status_code == 200, (path, page.status_code, page.text[:500])
    match = _TOKEN_RE.search(page.text)
    assert match, f"no form with a CSRF token on {path}"
    return unescape(match.group(1))


async def submit(
    web: httpx.AsyncClient,
    path: str,
    data: dict[str, str | list[str]] | None = None,
    *,
    page: str = "/auth/sign_in",
    files: dict[str, tuple[str, bytes, str]] | None = None,
) -> httpx.Response:
    """POST a form as a browser would after loading ``page``: with its CSRF token."""
    token = await csrf_token(web, page)
    return await web.post(path, data={"authenticity_token": token, **(data or {})}, files=files)
