"""The member's own bookmarks and favourites.

Both are paged by the bookmark's or favourite's row id, not the post's (a post bookmarked
today may be years old), exactly as the client API's Link header pages them: the next link
carries the last row's id, and a page whose posts became hidden still leads on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.pagination import PageRequest
from godwit.domain.posts import StatusView
from godwit.entities.statuses import render_statuses
from godwit.web.context import services
from godwit.web.endpoint import web_route
from godwit.web.feeds import current_path, older_url, page_request
from godwit.web.pages import render
from godwit.web.session import require_viewer

Lister = Callable[[int, PageRequest], Awaitable[tuple[list[StatusView], list[int]]]]


async def _collection(request: Request, kind: str, heading: str, empty: str) -> Response:
    viewer = await require_viewer(request)
    page = page_request(request)
    marks = services(request).status_marks
    lister: Lister = marks.bookmarks if kind == "bookmarks" else marks.favourites
    views, cursors = await lister(viewer.account_id, page)
    return await render(
        request,
        "timeline.html",
        {
            "statuses": render_statuses(views, services(request).settings),
            "next_url": older_url(
                request, cursors[-1] if cursors else None, full=len(cursors) >= page.limit
            ),
            "return_to": current_path(request),
            "heading": heading,
            "empty": empty,
        },
    )


async def bookmarks(request: Request) -> Response:
    return await _collection(
        request,
        "bookmarks",
        "Bookmarks",
        "You have no bookmarks yet. Bookmark a post to keep it here; only you can see them.",
    )


async def favourites(request: Request) -> Response:
    return await _collection(
        request,
        "favourites",
        "Favourites",
        "You have not favourited any posts yet.",
    )


routes = [
    web_route("/bookmarks", bookmarks),
    web_route("/favourites", favourites),
]
