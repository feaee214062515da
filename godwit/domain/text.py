"""Plain text as members write it → Mastodon-style HTML, and Mastodon's length count.

One tokenizer finds the entities (links, then mentions and hashtags outside links), so
``parse``, ``render`` and ``countable_length`` always agree on what is an entity. Everything
that is not an entity is HTML-escaped; the result is then run through nh3 with a strict
allow-list as defence in depth, so even a bug in the tokenizer cannot emit a script.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import nh3

from godwit.domain.graphemes import grapheme_count

URL_PLACEHOLDER = "x" * 23  # every link counts as 23 characters, whatever its length
LINK_DISPLAY_CHARS = 30

# A link: scheme, host, optional port and path. Quotes, angle brackets and whitespace end it.
_URL_RE = re.compile(
    r"https?://(?:[\w-]+\.)*[\w-]+(?::\d{1,5})?(?:[/?#][^\s<>\"'\x00-\x1f\x7f]*)?", re.IGNORECASE
)
# Mastodon's username shape for mentions; the optional domain makes it a remote acct.
_MENTION_RE = re.compile(
    r"@(?P<username>[a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_])?)(?:@(?P<domain>[\w.-]*\w))?",
    re.IGNORECASE,
)
_CANDIDATE_RE = re.compile(r"https?://|[@#]", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,:;!?'\"*"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_TAG_SEPARATORS = "\u00b7\u30fb\u200c"  # middle dots and ZWNJ may join words inside a tag
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


@dataclass(frozen=True, slots=True)
class MentionTarget:
    """A resolved mention: the account's acct and profile URL."""

    acct: str
    url: str


@dataclass(frozen=True, slots=True)
class ParsedText:
    mentions: tuple[str, ...]  # acct as written, without "@", first occurrence of each
    tags: tuple[str, ...]  # as written, without "#", first occurrence of each
    urls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Text:
    value: str


@dataclass(frozen=True, slots=True)
class _Link:
    url: str


@dataclass(frozen=True, slots=True)
class _Mention:
    acct: str
    username: str

    @property
    def written(self) -> str:
        return "@" + self.acct


@dataclass(frozen=True, slots=True)
class _Tag:
    name: str


_Token = _Text | _Link | _Mention | _Tag


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


def _trim_url(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from a link's end."""
    while url:
        last = url[-1]
        unbalanced = last in _CLOSERS and url.count(last) > url.count(_CLOSERS[last])
        if last in _TRAILING_PUNCTUATION or unbalanced:
            url = url[:-1]
        else:
            break
    return url


def _match_url(text: str, start: int) -> str | None:
    if start > 0 and (_is_word(text[start - 1]) or text[start - 1] in "/@."):
        return None
    match = _URL_RE.match(text, start)
    if match is None:
        return None
    url = _trim_url(match.group())
    return url if "://" in url and not url.endswith("://") else None


def _match_mention(text: str, start: int) -> _Mention | None:
    if start > 0 and (_is_word(text[start - 1]) or text[start - 1] in "=/@"):
        return None
    match = _MENTION_RE.match(text, start)
    if match is None:
        return None
    username, domain = match.group("username"), match.group("domain")
    acct = f"{username}@{domain}" if domain else username
    return _Mention(acct=acct, username=username)


def _match_tag(text: str, start: int) -> str | None:
    if start > 0 and (_is_word(text[start - 1]) or text[start - 1] in "=/)#&"):
        return None
    end = start + 1
    while end < len(text) and (_is_word(text[end]) or text[end] in _TAG_SEPARATORS):
        end += 1
    name = text[start + 1 : end].rstrip(_TAG_SEPARATORS)
    if not name or not _is_word(name[0]) or name.isdigit():
        return None
    if all(char.isdigit() or unicodedata.category(char).startswith("M") for char in name):
        return None
    return name


def _tokens(text: str) -> Iterator[_Token]:
    position = 0  # everything before this has been emitted
    search_from = 0
    while True:
        candidate = _CANDIDATE_RE.search(text, search_from)
        if candidate is None:
            break
        start = candidate.start()
        token: _Token | None = None
        length = 0
        if text[start] == "@":
            mention = _match_mention(text, start)
            if mention is not None:
                token, length = mention, len(mention.written)
        elif text[start] == "#":
            tag = _match_tag(text, start)
            if tag is not None:
                token, length = _Tag(tag), len(tag) + 1
        else:
            url = _match_url(text, start)
            if url is not None:
                token, length = _Link(url), len(url)
        if token is None:
            search_from = start + 1
            continue
        if start > position:
            yield _Text(text[position:start])
        yield token
        position = search_from = start + length
    if position < len(text):
        yield _Text(text[position:])


def tag_key(name: str) -> str:
    """The form a hashtag is stored and looked up by: compatibility-normalised, casefolded
    (so "Café" typed with a combining accent and "CAFÉ" are one tag)."""
    return unicodedata.normalize("NFKC", name).casefold()


def _unique(values: Iterator[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return tuple(seen.values())


def parse(text: str) -> ParsedText:
    tokens = list(_tokens(text))
    return ParsedText(
        mentions=_unique(token.acct for token in tokens if isinstance(token, _Mention)),
        tags=_unique(token.name for token in tokens if isinstance(token, _Tag)),
        urls=tuple(dict.fromkeys(token.url for token in tokens if isinstance(token, _Link))),
    )


def countable_length(text: str, spoiler_text: str = "") -> int:
    """The length Mastodon checks against the limit: spoiler plus text, in user-perceived
    characters, with every link counted as 23 and a mention as its "@username" part only."""
    parts: list[str] = []
    for token in _tokens(text):
        if isinstance(token, _Link):
            parts.append(URL_PLACEHOLDER)
        elif isinstance(token, _Mention):
            parts.append("@" + token.username)
        elif isinstance(token, _Tag):
            parts.append("#" + token.name)
        else:
            parts.append(token.value)
    return grapheme_count(spoiler_text + "".join(parts))


def _escape(value: str) -> str:
    return html.escape(value, quote=True)


def _render_link(url: str) -> str:
    scheme_match = re.match(r"https?://(?:www\.)?", url, re.IGNORECASE)
    prefix = scheme_match.group() if scheme_match else ""
    rest = url[len(prefix) :]
    display, suffix = rest[:LINK_DISPLAY_CHARS], rest[LINK_DISPLAY_CHARS:]
    ellipsis = "ellipsis" if suffix else ""
    return (
        f'<a href="{_escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{_escape(prefix)}</span>'
        f'<span class="{ellipsis}">{_escape(display)}</span>'
        f'<span class="invisible">{_escape(suffix)}</span></a>'
    )


def _render_token(token: _Token, mentions: Mapping[str, MentionTarget], base_url: str) -> str:
    if isinstance(token, _Link):
        return _render_link(token.url)
    if isinstance(token, _Tag):
        href = f"{base_url}/tags/{quote(token.name, safe='')}"
        return (
            f'<a href="{_escape(href)}" class="mention hashtag" rel="tag">'
            f"#<span>{_escape(token.name)}</span></a>"
        )
    if isinstance(token, _Mention):
        target = mentions.get(token.acct.casefold())
        if target is None:
            return _escape(token.written)
        username = target.acct.split("@", 1)[0]
        return (
            f'<span class="h-card" translate="no"><a href="{_escape(target.url)}" '
            f'class="u-url mention">@<span>{_escape(username)}</span></a></span>'
        )
    return "<br />".join(_escape(line) for line in token.value.split("\n"))


_ALLOWED_TAGS = {"p", "br", "a", "span"}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "rel", "class", "target", "translate"},
    "span": {"class", "translate"},
}


def sanitise(fragment: str) -> str:
    """Keep only the markup ``render`` produces; links only to http(s)."""
    cleaned = nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        link_rel=None,
        url_schemes={"http", "https"},
        strip_comments=True,
    )
    # html5ever serialises void elements as <br>; keep Mastodon's spelling. A literal
    # "<br>" typed by a member was escaped to "&lt;br&gt;" and is not affected.
    return cleaned.replace("<br>", "<br />")


def render(text: str, *, mentions: Mapping[str, MentionTarget], base_url: str) -> str:
    """Mastodon-style HTML: paragraphs on blank lines, <br /> on single newlines, links,
    resolved mentions (keyed by acct casefolded) and hashtags; unresolved mentions stay text."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    if not normalised.strip():
        return ""
    paragraphs = _PARAGRAPH_BREAK.split(normalised.strip("\n"))
    rendered = []
    for paragraph in paragraphs:
        inner = "".join(_render_token(token, mentions, base_url) for token in _tokens(paragraph))
        rendered.append(f"<p>{inner}</p>")
    return sanitise("".join(rendered))
