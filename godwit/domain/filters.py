"""Member-defined filters: which statuses a filter matches, where, and until when.

Matching follows Mastodon (CustomFilter): keywords are searched case-insensitively in the
status's searchable text (spoiler text, the plain text of the content, media descriptions);
a ``whole_word`` keyword only matches between word boundaries, and only on the sides of the
keyword that start or end with a word character (so "#tag" or "c++" still match as written).
A filter applies in the contexts it lists, until it expires; the author's own statuses are
never filtered (as in Mastodon).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from godwit.domain.errors import Invalid

CONTEXTS = ("home", "notifications", "public", "thread", "account")
ACTIONS = ("warn", "hide", "blur")
MAX_TITLE_LENGTH = 256
MAX_KEYWORD_LENGTH = 512
MAX_KEYWORDS_PER_FILTER = 100
MAX_FILTERS_PER_ACCOUNT = 200
MAX_STATUSES_PER_FILTER = 500
# A filter's expiry may be at most this far ahead (Mastodon's form offers up to a week; the
# API takes any number, which we bound so that the timestamp stays representable).
MAX_EXPIRES_IN_SECONDS = 10 * 365 * 24 * 3600

_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class FilterKeyword:
    id: int
    filter_id: int
    keyword: str
    whole_word: bool


@dataclass(frozen=True, slots=True)
class FilterStatus:
    id: int
    filter_id: int
    status_id: int


@dataclass(frozen=True, slots=True)
class Filter:
    id: int
    account_id: int
    title: str
    context: tuple[str, ...]
    action: str  # warn | hide | blur
    expires_at: dt.datetime | None
    created_at: dt.datetime
    keywords: tuple[FilterKeyword, ...] = ()
    statuses: tuple[FilterStatus, ...] = ()


@dataclass(frozen=True, slots=True)
class FilterMatch:
    """One filter that matched one status (Mastodon's FilterResult)."""

    filter: Filter
    keyword_matches: tuple[str, ...] = ()
    status_matches: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class KeywordChange:
    """One item of ``keywords_attributes``: add (no id), change (id) or remove (id, destroy)."""

    id: int | None
    keyword: str | None
    whole_word: bool | None
    destroy: bool = False


def is_active(flt: Filter, now: dt.datetime) -> bool:
    return flt.expires_at is None or flt.expires_at > now


def applies_in(flt: Filter, context: str, now: dt.datetime) -> bool:
    return context in flt.context and is_active(flt, now)


def keyword_pattern(keyword: str, whole_word: bool) -> str:
    """The regular expression for one keyword (without flags)."""
    escaped = re.escape(keyword)
    if not whole_word:
        return escaped
    start = r"\b" if _WORD_CHAR.match(keyword[:1]) else ""
    end = r"\b" if _WORD_CHAR.match(keyword[-1:]) else ""
    return f"{start}{escaped}{end}"


def keyword_matches(keyword: FilterKeyword, text: str) -> bool:
    if not keyword.keyword:
        return False
    pattern = keyword_pattern(keyword.keyword, keyword.whole_word)
    # Python's str patterns use Unicode word characters and boundaries, as Ruby's
    # [[:word:]] does in Mastodon; IGNORECASE is Unicode-aware as well.
    return re.search(pattern, text, re.IGNORECASE) is not None


class _PlainText(HTMLParser):
    """Rendered status HTML to plain text: line breaks for <br> and paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def searchable_text(spoiler_text: str, content_html: str, extras: Iterable[str] = ()) -> str:
    """What keywords are matched against: spoiler, plain text, then e.g. media descriptions."""
    parts = [spoiler_text, plain_text(content_html), *extras]
    return "\n\n".join(part for part in parts if part)


def match_status(
    filters: Sequence[Filter], text: str, status_ids: Sequence[int]
) -> list[FilterMatch]:
    """The filters (already narrowed to a context and to active ones) matching a status whose
    searchable text is ``text`` and whose ids (the status and, for a reblog, its original)
    are ``status_ids``."""
    matches = []
    for flt in filters:
        words = tuple(k.keyword for k in flt.keywords if keyword_matches(k, text))
        ids = tuple(s.status_id for s in flt.statuses if s.status_id in status_ids)
        if words or ids:
            matches.append(FilterMatch(filter=flt, keyword_matches=words, status_matches=ids))
    return matches


def hides(matches: Iterable[FilterMatch]) -> bool:
    return any(match.filter.action == "hide" for match in matches)


# --- validation of what members send -----------------------------------------------------


def _invalid(field: str, description: str) -> Invalid:
    return Invalid(
        f"Validation failed: {field} {description}", {field: [("ERR_INVALID", description)]}
    )


def parse_context(values: Sequence[str]) -> tuple[str, ...]:
    if not values:
        raise Invalid(
            "Validation failed: Context can't be blank",
            {"context": [("ERR_BLANK", "can't be blank")]},
        )
    unknown = [value for value in values if value not in CONTEXTS]
    if unknown:
        raise _invalid("context", f"has unknown values: {', '.join(unknown)}")
    return tuple(dict.fromkeys(values))


def parse_action(value: str | None, default: str = "warn") -> str:
    if value is None or value == "":
        return default
    if value not in ACTIONS:
        raise _invalid("filter_action", f"must be one of {', '.join(ACTIONS)}")
    return value


def expiry(expires_in: int | None, now: dt.datetime) -> dt.datetime | None:
    """``expires_in`` seconds from now; none (or 0, as Mastodon's "never") means no expiry."""
    if expires_in is None or expires_in == 0:
        return None
    if expires_in < 0 or expires_in > MAX_EXPIRES_IN_SECONDS:
        raise _invalid("expires_in", "is out of range")
    return now + dt.timedelta(seconds=expires_in)


def check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise Invalid(
            "Validation failed: Title can't be blank",
            {"title": [("ERR_BLANK", "can't be blank")]},
        )
    if len(title) > MAX_TITLE_LENGTH:
        raise _invalid("title", f"is too long (maximum is {MAX_TITLE_LENGTH} characters)")
    return title


def check_keyword(keyword: str) -> str:
    if not keyword.strip():
        raise Invalid(
            "Validation failed: Keyword can't be blank",
            {"keyword": [("ERR_BLANK", "can't be blank")]},
        )
    if len(keyword) > MAX_KEYWORD_LENGTH:
        raise _invalid("keyword", f"is too long (maximum is {MAX_KEYWORD_LENGTH} characters)")
    return keyword
