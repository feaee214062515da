"""Helpers for the profile, thread, about and report page tests: posts, follows and
moderation made through the real services, and readers of a page's head tags."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from godwit.app import Components
from godwit.domain.roles import OPERATOR
from godwit.services.profiles import ProfileUpdate
from godwit.services.statuses import PostRequest
from tests.factories import Member

# Payloads that would run if any of them reached the page unescaped.
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_LINK = "javascript:alert(1)"


async def post(
    components: Components,
    author: Member,
    text: str,
    *,
    visibility: str = "public",
    reply_to: str | None = None,
    spoiler_text: str = "",
) -> str:
    """Publish as ``author`` through the statuses service (jobs run); the new post's id."""
    view = await components.services.statuses.create(
        author.account_id,
        PostRequest(
            text=text,
            visibility=visibility,
            in_reply_to_id=int(reply_to) if reply_to else None,
            spoiler_text=spoiler_text,
        ),
    )
    await components.job_runner.run_until_idle()
    return str(view.status.id)


async def follow(components: Components, follower: Member, followed: Member) -> None:
    await components.services.graph.follow(follower.account_id, followed.account_id)
    await components.job_runner.run_until_idle()


async def set_profile(components: Components, member: Member, **changes: object) -> None:
    await components.services.accounts.update_credentials(
        member.account_id,
        ProfileUpdate(**changes),  # type: ignore[arg-type]
    )


async def suspend(components: Components, member: Member) -> None:
    await components.services.account_moderation.suspend(OPERATOR, member.account_id, "spam")


def meta(html: str, key: str) -> str | None:
    """The content of ``<meta property|name="key">`` (unescaped), or None."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return unescape(match.group(1)) if match else None


def link(html: str, rel: str) -> str | None:
    """The href of the first ``<link rel="rel" ...>``."""
    match = re.search(rf'<link rel="{re.escape(rel)}"[^>]* href="([^"]*)">', html)
    return unescape(match.group(1)) if match else None


def head(html: str) -> str:
    return html.split("</head>", 1)[0]


class _ActiveMarkup(HTMLParser):
    """Collects what a browser would run: event-handler attributes, javascript: URLs,
    script elements other than the app's own bundle, frames and objects."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in _URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        sources = [value or "" for name, value in attrs if name == "src"]
        if tag == "script" and not (sources and sources[0].startswith("/static/")):
            self.found.append("<script> without the app's own src")
        if tag in ("iframe", "object", "embed", "base"):
            self.found.append(f"<{tag}>")


_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "data"})


def assert_inert(html: str) -> None:
    """No payload is present as markup: escaped text is fine, a tag or a handler is not."""
    assert SCRIPT not in html
    assert IMG not in html
    parser = _ActiveMarkup()
    parser.feed(html)
    parser.close()
    assert parser.found == []
