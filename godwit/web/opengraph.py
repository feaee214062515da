"""What a page tells link previews and other servers about itself: OpenGraph tags, the
canonical URL and the ActivityPub ``rel="alternate"`` discovery link.

Only what anyone may read goes into these tags: they are copied by every link preview,
crawler and chat app that fetches a page, whoever shared the link. A post that is not
public or unlisted, or a suspended account, gives nothing of its content to them.
Descriptions are plain text cut from the sanitised HTML; the template escapes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from godwit.domain.filters import plain_text
from godwit.domain.text import sanitise
from godwit.web.templating import profile_path, status_path

DESCRIPTION_CHARS = 300
TITLE_EXCERPT_CHARS = 60
ACTIVITY_JSON = "application/activity+json"
OPEN_VISIBILITIES = ("public", "unlisted")  # what a logged-out reader may open anyway
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """The tags of one page's ``<head>``; empty strings are left out."""

    title: str
    url: str  # canonical, absolute
    type: str = "website"  # profile | article | website
    description: str = ""
    image: str = ""
    image_alt: str = ""
    alternate: str = ""  # the ActivityPub object's id (account or status URI)
    username: str = ""  # profile:username, for profiles
    noindex: bool = False
    large_image: bool = False  # a post's picture rather than an avatar


def excerpt(html: object, limit: int = DESCRIPTION_CHARS) -> str:
    """Plain text of a post, bio or field: tags stripped after the nh3 allow-list (so a
    script's body never becomes text), whitespace folded, cut at a word."""
    if not isinstance(html, str) or not html:
        return ""
    return shorten(plain_text(sanitise(html)), limit)


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """Plain ``text`` with whitespace folded, cut at a word to at most ``limit`` chars."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def http_url(value: object, fallback: str) -> str:
    """``value`` if it is an absolute http(s) URL, else ``fallback``: a remote account's
    data must not put a ``javascript:`` link in the page head."""
    if isinstance(value, str) and urlsplit(value).scheme in ("http", "https"):
        return value
    return fallback


def author_name(account: dict[str, Any]) -> str:
    return str(account.get("display_name") or account.get("username") or "")


def full_handle(account: dict[str, Any], domain: str) -> str:
    """``alice@example.org``: the handle people elsewhere follow (``acct`` omits our domain)."""
    acct = str(account["acct"])
    return acct if "@" in acct else f"{acct}@{domain}"


def account_meta(account: dict[str, Any], base_url: str, domain: str) -> PageMeta:
    """A profile. A suspended account shows only its handle."""
    local = base_url + profile_path(account)
    acct = f"@{full_handle(account, domain)}"
    if account.get("suspended"):
        return PageMeta(title=acct, url=local, type="profile", noindex=True)
    name = author_name(account)
    return PageMeta(
        title=f"{name} ({acct})" if name else acct,
        url=http_url(account.get("url"), local),
        type="profile",
        description=excerpt(account.get("note")) or f"Posts from {name or acct}",
        image=http_url(account.get("avatar_static"), ""),
        alternate=http_url(account.get("uri"), ""),
        username=str(account["acct"]),
        noindex=bool(account.get("noindex")),
    )


def status_meta(status: dict[str, Any], base_url: str) -> PageMeta:
    """A post. Followers-only and direct posts give only the canonical URL: their page is
    shown to whoever may read it, but nothing of them goes into shareable tags."""
    local = base_url + status_path(status)
    account = status["account"]
    url = http_url(status.get("url"), local)
    if status.get("visibility") not in OPEN_VISIBILITIES:
        return PageMeta(title="Post", url=url, type="article", noindex=True)
    if status.get("spoiler_text"):
        # The warning is what the author chose to show first; the text stays behind it.
        description = f"Content warning: {status['spoiler_text']}"
    else:
        description = excerpt(status.get("content"))
    image, alt, large = http_url(account.get("avatar_static"), ""), "", False
    if not status.get("sensitive"):
        for media in status.get("media_attachments") or []:
            if media.get("type") == "image":
                image = http_url(media.get("preview_url") or media.get("url"), image)
                alt, large = str(media.get("description") or ""), True
                break
    return PageMeta(
        title=f"{author_name(account)} (@{account['acct']})",
        url=url,
        type="article",
        description=description,
        image=image,
        image_alt=alt,
        large_image=large,
        alternate=http_url(status.get("uri"), ""),
        noindex=bool(account.get("noindex")),
    )


def status_title(status: dict[str, Any]) -> str:
    """The browser tab's title: who, and (for open posts) the first words."""
    name = author_name(status["account"]) or f"@{status['account']['acct']}"
    if status.get("visibility") not in OPEN_VISIBILITIES:
        return f"Post by {name}"
    words = status.get("spoiler_text") or excerpt(status.get("content"), TITLE_EXCERPT_CHARS)
    return f"{name}: “{words}”" if words else f"Post by {name}"
