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


# The text encodings pages use. Python's codec registry also holds bytes-to-bytes and
# pathological codecs (rot13, base64, zlib, punycode — the last super-linear on hostile
# input), so a page may only name one of these.
PAGE_ENCODINGS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "latin-1", "iso8859-2",
        "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7", "iso8859-8",
        "iso8859-9", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16",
        "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
        "cp1258", "cp874", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "shift_jis",
        "euc_jp", "iso2022_jp", "gb2312", "gbk", "gb18030", "big5", "euc_kr",
    )
)  # fmt: skip


def decode(body: bytes, header_charset: str | None) -> str:
    """The page as text: the header's charset, else a <meta charset>, else UTF-8."""
    for candidate in (header_charset, _sniffed_charset(body)):
        if candidate:
            try:
                codec = codecs.lookup(candidate)
            except LookupError:
                continue
            if codec.name in PAGE_ENCODINGS:
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
    try:
        return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
    except OverflowError:  # e.g. year 1 with a positive offset
        return None
