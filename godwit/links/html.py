"""Reading what a page says about itself: OpenGraph and Twitter meta tags, <title>,
<html lang>, with selectolax's HTML5 parser (Lexbor), which copes with the malformed markup
real pages have (see docs/decisions/0016-link-previews-selectolax.md)."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from godwit.domain.cards import PageMeta

# Where a page may declare its encoding when the Content-Type header does not.
_SNIFF_BYTES = 2048
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode(body: bytes, header_charset: str | None) -> str:
    """The page as text: the header's charset, else a <meta charset>, else UTF-8."""
    for candidate in (header_charset, _sniffed_charset(body)):
        if candidate:
            try:
                codec = codecs.lookup(candidate)
            except LookupError:
                continue
            return body.decode(codec.name, errors="replace")
    return body.decode("utf-8", errors="replace")


def _sniffed_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:_SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else None


def parse_page(body: bytes, header_charset: str | None, page_url: str) -> PageMeta:
    tree = LexborHTMLParser(decode(body, header_charset))
    meta: dict[str, str] = {}
    for node in tree.css("meta"):
        attributes = node.attributes
        key = attributes.get("property") or attributes.get("name") or attributes.get("itemprop")
        content = attributes.get("content")
        if key and content and content.strip():
            meta.setdefault(key.strip().lower(), content.strip())
    title_node = tree.css_first("title")
    html_node = tree.css_first("html")

    def first(*keys: str) -> str:
        return next((meta[key] for key in keys if key in meta), "")

    author = first("author", "article:author")
    author_url = _absolute(author, page_url) if _looks_like_url(author) else ""
    return PageMeta(
        title=first("og:title", "twitter:title") or (title_node.text() if title_node else ""),
        description=first("og:description", "twitter:description", "description"),
        image_url=_absolute(
            first(
                "og:image:secure_url",
                "og:image:url",
                "og:image",
                "twitter:image",
                "twitter:image:src",
            ),
            page_url,
        ),
        site_name=first("og:site_name", "application-name"),
        author_name="" if author_url else author,
        author_url=author_url or "",
        language=(html_node.attributes.get("lang") if html_node else None) or first("og:locale"),
        published_at=_moment(first("article:published_time", "og:published_time", "datepublished")),
    )


def _looks_like_url(value: str) -> bool:
    return value.startswith(("http://", "https://", "/"))


def _absolute(value: str, page_url: str) -> str | None:
    """An http(s) URL, resolved against the page; None for anything else."""
    if not value:
        return None
    resolved = urljoin(page_url, value.strip())
    return resolved if urlsplit(resolved).scheme in ("http", "https") else None


def _moment(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
