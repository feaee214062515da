"""Hashtag pages: /tags/{name}, the public posts carrying a hashtag, for anyone; members
follow or unfollow the hashtag there (its posts then reach their home timeline)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.errors import Invalid, NotFound
from godwit.domain.search import TagSummary
from godwit.domain.tags import valid_tag_name
from godwit.domain.timelines import TimelineScope, normalise_tag
from godwit.web import forms
from godwit.web.assets import asset_url
from godwit.web.context import instance_essentials, services
from godwit.web.endpoint import redirect, safe_return_path, web_route
from godwit.web.feeds import page_request, statuses_context
from godwit.web.opengraph import PageMeta
from godwit.web.pages import render
from godwit.web.session import current_viewer, require_viewer


def tag_name(request: Request) -> str:
    """The hashtag of the path as the client API's tag timeline reads it (no '#', any
    case); a name no post could carry as a hashtag names no page."""
    name = normalise_tag(str(request.path_params.get("name", "")))
    try:
        return valid_tag_name(name)
    except Invalid:
        raise NotFound() from None


def tag_path(name: str) -> str:
    return "/tags/" + quote(name, safe="")


async def tag_page(request: Request) -> Response:
    name = tag_name(request)
    viewer = await current_viewer(request)
    viewer_id = viewer.account_id if viewer else None
    wired = services(request)
    summary: TagSummary | None
    try:
        summary = await wired.search.tag(name, viewer_id)
    except NotFound:
        summary = None  # nobody used it yet: an empty page, which a member may still follow
    views = await wired.timelines.tag(
        viewer_id, page_request(request), tags=[name], scope=TimelineScope.ALL
    )
    display = summary.name if summary is not None else name
    uses = sum(day.uses for day in summary.history) if summary is not None else 0
    people_today = summary.history[0].accounts if summary and summary.history else 0
    base = wired.settings.base_url.rstrip("/")
    essentials = await instance_essentials(request)
    description = f"Public posts tagged #{display} on {essentials['instance_title']}."
    return await render(
        request,
        "tag.html",
        {
            **statuses_context(request, views),
            "tag_name": display,
            "live": f"tag:{name}",  # new posts arrive as they are published (live.py)
            "tag_action": f"/web/tags/{quote(name, safe='')}",
            "following": bool(summary and summary.following),
            "uses": uses,
            "people_today": people_today,
            "canonical_url": base + tag_path(name),
            # Link previews get the tag and the server; the posts speak for themselves.
            "meta": PageMeta(
                title=f"#{display}",
                url=base + tag_path(name),
                description=description,
                image=base + asset_url("instance-thumbnail.png"),
            ),
        },
    )


async def _set_following(request: Request, follow: bool) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    name = tag_name(request)
    tags = services(request).tags
    if follow:
        await tags.follow(viewer.account_id, name)
    else:
        await tags.unfollow(viewer.account_id, name)
    back = safe_return_path(forms.text(form, "return_to"), tag_path(name))
    return redirect(back, "tag_followed" if follow else "tag_unfollowed")


async def follow_tag(request: Request) -> Response:
    return await _set_following(request, True)


async def unfollow_tag(request: Request) -> Response:
    return await _set_following(request, False)


routes = [
    web_route("/tags/{name}", tag_page),
    web_route("/web/tags/{name}/follow", follow_tag, ["POST"]),
    web_route("/web/tags/{name}/unfollow", unfollow_tag, ["POST"]),
]
