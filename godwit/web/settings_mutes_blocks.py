"""Settings → Muted accounts and Blocked accounts: the lists, with Unmute and Unblock.

The lists come from ``GraphService.mutes``/``blocks`` and the buttons call ``unmute``/
``unblock``, as GET /api/v1/mutes and POST /api/v1/accounts/:id/unmute do.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.graph import Relationship
from godwit.domain.pagination import PageRequest
from godwit.entities.accounts import render_account
from godwit.services.graph import GraphService, ListedAccount
from godwit.web import forms
from godwit.web.context import services
from godwit.web.endpoint import redirect, web_route
from godwit.web.feeds import older_url, page_request
from godwit.web.session import require_viewer
from godwit.web.settings_frame import path_id, render_settings

PAGE_SIZE = 40


@dataclass(frozen=True, slots=True)
class _Kind:
    """What differs between the two lists."""

    path: str
    heading: str
    intro: str
    empty: str
    button: str
    notice: str
    listing: Callable[[GraphService], Callable[[int, PageRequest], Awaitable[list[ListedAccount]]]]
    undo: Callable[[GraphService], Callable[[int, int], Awaitable[Relationship]]]


MUTES = _Kind(
    path="/settings/mutes",
    heading="Muted accounts",
    intro="You do not see posts from these accounts in your timelines, and by default no "
    "notifications from them. They are not told, and can still follow you and see your posts.",
    empty="You have not muted anyone.",
    button="Unmute",
    notice="unmuted",
    listing=lambda graph: graph.mutes,
    undo=lambda graph: graph.unmute,
)
BLOCKS = _Kind(
    path="/settings/blocks",
    heading="Blocked accounts",
    intro="These accounts cannot follow you, see your posts while signed in, or mention you, "
    "and you do not see theirs.",
    empty="You have not blocked anyone.",
    button="Unblock",
    notice="unblocked",
    listing=lambda graph: graph.blocks,
    undo=lambda graph: graph.unblock,
)


async def _list_page(request: Request, kind: _Kind) -> Response:
    viewer = await require_viewer(request)
    wired = services(request)
    listed: Sequence[ListedAccount] = await kind.listing(wired.graph)(
        viewer.account_id, page_request(request, PAGE_SIZE)
    )
    last = listed[-1].cursor if listed else None
    return await render_settings(
        request,
        "settings/accounts.html",
        kind.path,
        {
            "kind": kind,
            "accounts": [render_account(item.account, wired.settings) for item in listed],
            "next_url": older_url(request, last, full=len(listed) >= PAGE_SIZE),
        },
    )


async def _undo(request: Request, kind: _Kind) -> Response:
    viewer = await require_viewer(request)
    await forms.read_form(request)
    await kind.undo(services(request).graph)(viewer.account_id, path_id(request))
    return redirect(kind.path, kind.notice)


async def mutes_page(request: Request) -> Response:
    return await _list_page(request, MUTES)


async def blocks_page(request: Request) -> Response:
    return await _list_page(request, BLOCKS)


async def unmute(request: Request) -> Response:
    return await _undo(request, MUTES)


async def unblock(request: Request) -> Response:
    return await _undo(request, BLOCKS)


routes = [
    web_route(MUTES.path, mutes_page),
    web_route(f"{MUTES.path}/{{id}}/delete", unmute, ["POST"]),
    web_route(BLOCKS.path, blocks_page),
    web_route(f"{BLOCKS.path}/{{id}}/delete", unblock, ["POST"]),
]
