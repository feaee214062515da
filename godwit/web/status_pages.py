"""A post's own page, /@acct/<id>: the thread around it and, for members, a reply form.

Readable without signing in. ``statuses.get`` and ``statuses.context`` apply the same
visibility rules as the client API, so a followers-only or direct post is a 404 page to
anyone who may not read it, exactly like a post that never existed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.entities.statuses import render_status, render_statuses
from godwit.web.compose import compose_context
from godwit.web.context import services
from godwit.web.endpoint import safe_return_path, web_route
from godwit.web.feeds import current_path
from godwit.web.opengraph import status_meta, status_title
from godwit.web.pages import render
from godwit.web.profile_context import account_from_path, canonical_redirect
from godwit.web.session import current_viewer
from godwit.web.templating import status_path

MAX_INDENT = 4  # deeper replies line up at this level, so phones keep their width


def reply_depths(root_id: str, replies: Sequence[dict[str, Any]]) -> dict[str, int]:
    """How deep each reply sits under the post (1 = a direct reply), capped at
    ``MAX_INDENT``. ``replies`` come depth first, parents before children; a reply whose
    parent is hidden from the viewer lines up as a direct reply."""
    depths = {root_id: 0}
    for reply in replies:
        parent = reply.get("in_reply_to_id")
        depths[reply["id"]] = min(depths[parent] + 1, MAX_INDENT) if parent in depths else 1
    return depths


async def thread(request: Request) -> Response:
    status_id = parse_id(request.path_params.get("id"))
    if status_id is None:
        raise NotFound()
    account = await account_from_path(request)
    viewer = await current_viewer(request)
    viewer_id = viewer.account_id if viewer else None
    wired = services(request)
    view = await wired.statuses.get(status_id, viewer_id)
    if view.status.account_id != account.id:
        raise NotFound()  # another author's post under this name: no such page
    status = render_status(view, wired.settings)
    if status["reblog"] is not None:  # a boost has no page of its own: its original's
        return RedirectResponse(safe_return_path(status_path(status["reblog"]), "/"), 301)
    moved = canonical_redirect(request, account, f"/{status_id}")
    if moved is not None:
        return moved
    context = await wired.statuses.context(status_id, viewer_id)
    descendants = render_statuses(context.descendants, wired.settings)
    page: dict[str, Any] = {
        "status": status,
        "ancestors": render_statuses(context.ancestors, wired.settings),
        "descendants": descendants,
        "depths": reply_depths(status["id"], descendants),
        "meta": status_meta(status, wired.settings.base_url.rstrip("/")),
        "heading": status_title(status),
        "return_to": current_path(request),
    }
    if viewer is not None:
        page.update(await compose_context(request, viewer, reply_to=status))
    return await render(request, "status.html", page)


routes = [web_route("/@{acct}/{id}", thread)]
