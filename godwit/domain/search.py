"""Search rules that do not depend on a database: what a status is indexed as, how a
query becomes terms, and the shapes of tag results.

Both databases index the same, already normalised, text: words are folded here (casefolded,
diacritics removed) and joined by spaces, so SQLite FTS5 and PostgreSQL's ``simple``
configuration see identical tokens and match identically (PostgreSQL would otherwise need
the ``unaccent`` extension, which a managed database may not offer).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from godwit.domain.posts import Status
from godwit.domain.text import tag_key

MAX_TERMS = 8  # a query of more words is cut: each term is one more index lookup
MAX_TERM_LENGTH = 64
TAG_HISTORY_DAYS = 7

# Runs of letters and digits: underscores and punctuation separate words, as they do for
# FTS5's unicode61 tokenizer and PostgreSQL's default parser.
_WORD_RE = re.compile(r"[^\W_]+")
_BLOCK_TAGS = frozenset({"p", "br", "div", "li", "blockquote", "pre"})


@dataclass(frozen=True, slots=True)
class Term:
    word: str
    prefix: bool  # matches words starting with ``word``


@dataclass(frozen=True, slots=True)
class TagDay:
    day: dt.date
    uses: int
    accounts: int


@dataclass(frozen=True, slots=True)
class TagSummary:
    id: int
    name: str  # as first written (display form)
    history: tuple[TagDay, ...] = ()
    following: bool | None = None  # whether the viewer follows it; None: no viewer


def fold(text: str) -> str:
    """Casefolded, without combining marks ("Crème Brûlée" → "creme brulee")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    return _WORD_RE.findall(fold(text))


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return "".join(extractor.parts)


def indexable(status: Status) -> bool:
    """Reblogs carry no text of their own: only the original is indexed."""
    return status.reblog_of_id is None


def document(status: Status) -> str:
    """The normalised words a status is indexed under: its content warning and its text."""
    return content_document(status.content, status.spoiler_text)


def content_document(content_html: str, spoiler_text: str) -> str:
    return " ".join(words(spoiler_text) + words(plain_text(content_html)))


def parse_query(query: str) -> tuple[Term, ...]:
    """Every word must match. A word written with a trailing ``*`` matches as a prefix, and
    so does the last word, so that results appear while the member is still typing."""
    terms: list[Term] = []
    for raw in query.split():
        found = words(raw)
        for position, word in enumerate(found):
            last_of_raw = position == len(found) - 1
            terms.append(
                Term(word=word[:MAX_TERM_LENGTH], prefix=last_of_raw and raw.endswith("*"))
            )
    terms = terms[:MAX_TERMS]
    if terms and not terms[-1].prefix:
        terms[-1] = Term(word=terms[-1].word, prefix=True)
    return tuple(terms)


def tag_query(query: str) -> str:
    """The stored tag-name prefix a hashtag search looks for ("#Café" → "café"); empty when
    the query cannot be the start of a hashtag."""
    name = query.strip().removeprefix("#")
    if not name or not all(char.isalnum() or char == "_" for char in name):
        return ""
    return tag_key(name)


def history_days(today: dt.date) -> list[dt.date]:
    """The days a tag's history covers, newest first."""
    return [today - dt.timedelta(days=offset) for offset in range(TAG_HISTORY_DAYS)]


@dataclass(frozen=True, slots=True)
class StatusSearch:
    """One page of a full-text search of statuses, for a signed-in viewer."""

    terms: tuple[Term, ...]
    viewer_id: int
    account_id: int | None = None
    limit: int = 20
    offset: int = 0
    max_id: int | None = None  # only statuses older than this id
    min_id: int | None = None  # only statuses newer than this id
