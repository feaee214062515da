"""/about: what this server is, its rules, who runs it and whether one can join."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from godwit.entities.accounts import render_account
from godwit.entities.instance import thumbnail_url
from godwit.web.context import services
from godwit.web.endpoint import web_route
from godwit.web.opengraph import PageMeta, shorten
from godwit.web.pages import render

REGISTRATION_WORDS = {
    "open": "Anyone can create an account here.",
    "approval": "Anyone can ask for an account; a moderator reviews each request.",
    "closed": "This server is not taking new members at the moment.",
}


async def about(request: Request) -> Response:
    wired = services(request)
    info = await wired.instance.info()
    contact = info.contact_account
    base_url = wired.settings.base_url.rstrip("/")
    return await render(
        request,
        "about.html",
        {
            "info": info,
            "domain": wired.settings.domain,
            "registration": REGISTRATION_WORDS.get(
                info.registration_mode, REGISTRATION_WORDS["closed"]
            ),
            # A suspended administrator is no one to contact.
            "contact": render_account(contact, wired.settings)
            if contact is not None and not contact.suspended
            else None,
            "meta": PageMeta(
                title=f"About {info.title}",
                url=f"{base_url}/about",
                description=shorten(info.description) or f"About {info.title}",
                image=thumbnail_url(wired.settings),
            ),
        },
    )


routes = [web_route("/about", about)]
