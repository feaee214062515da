"""Profile pages: /@acct with its posts (three tabs), and its followers and following.

Readable without signing in. What each viewer sees comes from the same services as the
client API (``statuses.account_statuses``, ``graph.followers``), so a followers-only post
shows only to followers, and a list is hidden from someone the account blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.accounts import Account
from godwit.domain.pagination import PageRequest
from godwit.entities.accounts import render_account, render_accounts
from godwit.entities.statuses import render_statuses
from godwit.services.statuses import AccountStatusesFilter
from godwit.web.context import services
from godwit.web.endpoint import web_route
from godwit.web.feeds import current_path, older_url, page_request, statuses_context
from godwit.web.opengraph import account_meta, full_handle
from godwit.web.pages import render
from godwit.web.profile_context import (
    account_from_path,
    canonical_redirect,
    joined,
    relationships_of,
)
from godwit.web.session import Viewer, current_viewer

ACCOUNTS_PAGE = 40
PINNED_LIMIT = 5  # Mastodon's max_pinned_statuses
# (tab, path suffix, label, what the service is asked for)
TABS: tuple[tuple[str, str, str, AccountStatusesFilter], ...] = (
    ("posts", "", "Posts", AccountStatusesFilter(exclude_replies=True)),
    ("with_replies", "/with_replies", "Posts and replies", AccountStatusesFilter()),
    ("media", "/media", "Media", AccountStatusesFilter(only_media=True)),
)


async def _header_context(
    request: Request, account: Account, viewer: Viewer | None, listed: Sequence[int] = ()
) -> dict[str, Any]:
    """What the profile header needs: the entity, the viewer's relationship, the tags;
    and the viewer's relationships to the ``listed`` accounts, in the same queries."""
    settings = services(request).settings
    entity = render_account(account, settings)
    relationships = await relationships_of(request, viewer, [account.id, *listed])
    return {
        "account": entity,
        "relationship": relationships.get(entity["id"]),
        "relationships": relationships,
        "handle": full_handle(entity, settings.domain),
        "joined": joined(account.created_at),
        "meta": account_meta(entity, settings.base_url.rstrip("/"), settings.domain),
        "return_to": current_path(request),
    }


async def _profile(request: Request, tab: str) -> Response:
    _, suffix, _, wanted = next(entry for entry in TABS if entry[0] == tab)
    account = await account_from_path(request)
    moved = canonical_redirect(request, account, suffix)
    if moved is not None:
        return moved
    viewer = await current_viewer(request)
    context = await _header_context(request, account, viewer)
    context.update(tab=tab, tabs=[(name, end, label) for name, end, label, _ in TABS])
    if account.suspended:  # the header says so; nothing the account made is shown
        return await render(request, "profile.html", context)
    wired = services(request)
    viewer_id = viewer.account_id if viewer else None
    page = page_request(request)
    views = await wired.statuses.account_statuses(account.id, viewer_id, wanted, page)
    context.update(statuses_context(request, views))
    pinned: list[dict[str, Any]] = []
    if tab == "posts" and page.max_id is None:
        pinned_views = await wired.statuses.account_statuses(
            account.id,
            viewer_id,
            AccountStatusesFilter(pinned=True),
            PageRequest(limit=PINNED_LIMIT),
        )
        pinned = render_statuses(pinned_views, wired.settings)
        # Shown once, at the top: a page must not hold two cards with the same id.
        pinned_ids = {status["id"] for status in pinned}
        context["statuses"] = [s for s in context["statuses"] if s["id"] not in pinned_ids]
    context["pinned"] = pinned
    return await render(request, "profile.html", context)


async def posts(request: Request) -> Response:
    return await _profile(request, "posts")


async def with_replies(request: Request) -> Response:
    return await _profile(request, "with_replies")


async def media(request: Request) -> Response:
    return await _profile(request, "media")


async def _accounts(request: Request, which: str) -> Response:
    account = await account_from_path(request)
    moved = canonical_redirect(request, account, f"/{which}")
    if moved is not None:
        return moved
    viewer = await current_viewer(request)
    wired = services(request)
    lister = wired.graph.followers if which == "followers" else wired.graph.following
    page = page_request(request, ACCOUNTS_PAGE)
    # A suspended account's lists are a 404 (the graph service refuses them).
    listed = await lister(account.id, viewer.account_id if viewer else None, page)
    context = await _header_context(request, account, viewer, [item.account.id for item in listed])
    context.update(
        which=which,
        accounts=render_accounts([item.account for item in listed], wired.settings),
        next_url=older_url(
            request, listed[-1].cursor if listed else None, full=len(listed) >= ACCOUNTS_PAGE
        ),
    )
    return await render(request, "account_list.html", context)


async def followers(request: Request) -> Response:
    return await _accounts(request, "followers")


async def following(request: Request) -> Response:
    return await _accounts(request, "following")


# The literal second segments come before /@{acct}/{id} (status_pages), which would
# otherwise take "followers" for a post id.
routes = [
    web_route("/@{acct}", posts),
    web_route("/@{acct}/with_replies", with_replies),
    web_route("/@{acct}/media", media),
    web_route("/@{acct}/followers", followers),
    web_route("/@{acct}/following", following),
]
