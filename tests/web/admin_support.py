"""Helpers for the staff pages' tests: a staff of four, a second browser, admin routes."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import unescape

import httpx

from godwit.app import Components
from godwit.domain.roles import OPERATOR
from godwit.domain.server_settings import SettingsChange
from tests.factories import Member
from tests.services.moderation_support import Staff, make_staff
from tests.web.pages import csrf_token, sign_in

__all__ = ["Staff", "make_staff"]

# Every staff page and form, with a placeholder id: members must be refused on each.
ADMIN_PAGES = (
    "/admin/reports",
    "/admin/reports?state=all",
    "/admin/reports/{report}",
    "/admin/accounts",
    "/admin/accounts/{account}",
    "/admin/approvals",
    "/admin/settings",
    "/admin/moderation",
    "/admin/reports?kind=held",
    "/admin/audit-log",
)
ADMIN_POSTS = (
    "/admin/reports/{report}/assign",
    "/admin/reports/{report}/unassign",
    "/admin/reports/{report}/resolve",
    "/admin/reports/{report}/reopen",
    "/admin/accounts/{account}/action",
    "/admin/accounts/{account}/unsuspend",
    "/admin/accounts/{account}/unlimit",
    "/admin/accounts/{account}/unsensitive",
    "/admin/accounts/{account}/enable",
    "/admin/accounts/{account}/approve",
    "/admin/accounts/{account}/reject",
    "/admin/accounts/{account}/role",
    "/admin/statuses/{status}/delete",
    "/admin/statuses/{status}/sensitive",
    "/admin/settings",
    "/admin/settings/rules",
    "/admin/settings/rules/{rule}",
    "/admin/settings/rules/{rule}/delete",
    "/admin/reports/{report}/approve",
    "/admin/reports/{report}/reject",
    "/admin/moderation",
    "/admin/moderation/rules",
    "/admin/moderation/rules/{rule}",
    "/admin/moderation/rules/{rule}/delete",
)


@asynccontextmanager
async def browser(web: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """Another browser on the same server (its own cookies)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web.app),  # type: ignore[attr-defined]
        base_url="https://godwit.test",
    ) as other:
        yield other


async def signed_in(web: httpx.AsyncClient, components: Components, member: Member) -> str:
    """Sign ``member`` in on ``web``; the CSRF token its forms carry."""
    await sign_in(web, components, member)
    return await csrf_token(web, "/home")


async def post_form(
    web: httpx.AsyncClient, token: str, path: str, data: dict[str, str] | None = None
) -> httpx.Response:
    return await web.post(path, data={"authenticity_token": token, **(data or {})})


async def set_registration_mode(components: Components, mode: str) -> None:
    await components.services.server_settings.update(
        OPERATOR, SettingsChange(registration_mode=mode)
    )


_TEXT_RE = re.compile(r"<[^>]+>")


def page_text(html: str) -> str:
    """The page's text with tags removed and whitespace collapsed, for phrase checks."""
    return " ".join(unescape(_TEXT_RE.sub(" ", html)).split())


_ROW_RE = re.compile(r'<tr id="audit-\d+">(.*?)</tr>', re.S)


def audit_rows(html: str) -> list[str]:
    """The text of each audit log row on a page, newest first."""
    return [page_text(row) for row in _ROW_RE.findall(html)]
