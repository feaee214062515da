"""Preview cards: what a link's page says about itself, turned into Mastodon's PreviewCard,
and the links trending from recent use. Pure data and rules.

A card never holds third-party HTML: ``html`` and ``embed_url`` are always empty and the
type is "link", or "photo" when the link is an image itself.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote, urlsplit

from godwit.domain.tags import TREND_HALF_LIFE_DAYS, DayUse, midnight_utc

# How long a fetched card is trusted before a new post with the link fetches it again;
# a failed fetch is retried sooner.
CARD_TTL = dt.timedelta(days=14)
FAILED_CARD_TTL = dt.timedelta(hours=6)
# The fetched_at of a card row made to claim a URL that was never fetched: always stale.
NEVER_FETCHED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# How long one job's claim on fetching a URL holds. Longer than a fetch can take (the page's
# and then the image's deadlines), so a working fetch keeps it; a dead job's claim lapses.
FETCH_LEASE = dt.timedelta(minutes=2)
# A refreshed card's old image is deleted this long after the refresh commits, so a card
# rendered just before it still shows its image for a while.
REPLACED_IMAGE_GRACE = dt.timedelta(hours=1)
# Stale cards that no post shows are deleted (with their images) by a job queued after a
# fetch, at most this often, in batches.
PRUNE_INTERVAL = dt.timedelta(hours=1)
PRUNE_BATCH = 500
MAX_HTML_BYTES = 1024 * 1024  # of a page read for its meta tags; the rest is not read
MAX_TITLE_CHARS = 255
MAX_DESCRIPTION_CHARS = 1000
MAX_NAME_CHARS = 255
# The job fetching a post's card, and the one deleting stale cards no post shows.
CARD_JOB = "status.preview_card"
PRUNE_CARDS_JOB = "preview_cards.prune"
_LANGUAGE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*$")


class CardType(StrEnum):
    LINK = "link"
    PHOTO = "photo"


class FetchedKind(StrEnum):
    HTML = "html"
    IMAGE = "image"


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a page's OpenGraph and Twitter meta tags, <title> and <html lang> say."""

    title: str = ""
    description: str = ""
    image_url: str | None = None  # absolute http(s)
    site_name: str = ""
    author_name: str = ""
    author_url: str = ""
    language: str | None = None
    published_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class FetchedLink:
    """A link's answer: a page's meta tags, or an image's bytes."""

    final_url: str
    kind: FetchedKind
    meta: PageMeta = PageMeta()
    image: bytes = b""


@dataclass(frozen=True, slots=True)
class CardImage:
    """The card's image, cleaned by the media pipeline and stored under ``key``."""

    key: str
    width: int
    height: int
    blurhash: str | None


@dataclass(frozen=True, slots=True)
class CardDraft:
    """A card ready to be stored (``usable`` False records a fetch that gave nothing)."""

    url: str
    usable: bool
    title: str = ""
    description: str = ""
    type: CardType = CardType.LINK
    author_name: str = ""
    author_url: str = ""
    provider_name: str = ""
    provider_url: str = ""
    image: CardImage | None = None
    language: str | None = None
    published_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class PreviewCard:
    id: int
    url: str
    title: str
    description: str
    type: CardType
    author_name: str
    author_url: str
    provider_name: str
    provider_url: str
    image_key: str | None
    width: int
    height: int
    blurhash: str | None
    language: str | None
    published_at: dt.datetime | None
    usable: bool
    fetched_at: dt.datetime
    # Set while a job fetches the URL (its claim, see ``needs_fetch``); cleared by its save.
    fetch_token: str | None = None
    fetch_until: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class LinkUsage:
    """A card's use in the trend window: per-day (posts, accounts) and distinct accounts
    over the whole window."""

    card_id: int
    by_day: dict[dt.datetime, tuple[int, int]]
    accounts: int


@dataclass(frozen=True, slots=True)
class TrendingLink:
    card: PreviewCard
    history: tuple[DayUse, ...]


def is_fresh(card: PreviewCard, now: dt.datetime) -> bool:
    return now - card.fetched_at < (CARD_TTL if card.usable else FAILED_CARD_TTL)


def stale_before(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Cards fetched before these times are stale: (usable ones, failed ones)."""
    return now - CARD_TTL, now - FAILED_CARD_TTL


def needs_fetch(card: PreviewCard, token: str, now: dt.datetime) -> bool:
    """Whether the job holding ``token`` should fetch the card's URL (the card's row being
    locked): not while another job's claim holds, nor while the card is fresh. A claim that
    was never saved (its job died) lapses at ``fetch_until``, or at once for the same job
    run again (its token is the job's id)."""
    if card.fetch_token is not None:
        return card.fetch_token == token or card.fetch_until is None or card.fetch_until <= now
    return not is_fresh(card, now)


def clean_text(value: str, limit: int) -> str:
    """One line of plain text: control characters dropped, whitespace collapsed, cut."""
    kept = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    collapsed = " ".join(kept.split())
    return collapsed if len(collapsed) <= limit else collapsed[: limit - 1].rstrip() + "…"


def card_language(raw: str | None) -> str | None:
    """ "en-GB" or "fr_FR" → "en", "fr"; None for anything that is no language tag."""
    match = _LANGUAGE.match((raw or "").strip())
    return match.group(1).lower() if match else None


def page_draft(url: str, meta: PageMeta, image: CardImage | None) -> CardDraft:
    """A page's card; not usable without a title (as in Mastodon)."""
    title = clean_text(meta.title, MAX_TITLE_CHARS)
    if not title:
        return CardDraft(url=url, usable=False)
    return CardDraft(
        url=url,
        usable=True,
        title=title,
        description=clean_text(meta.description, MAX_DESCRIPTION_CHARS),
        type=CardType.LINK,
        author_name=clean_text(meta.author_name, MAX_NAME_CHARS),
        author_url=meta.author_url,
        provider_name=clean_text(meta.site_name, MAX_NAME_CHARS),
        image=image,
        language=card_language(meta.language),
        published_at=meta.published_at,
    )


def photo_draft(url: str, final_url: str, image: CardImage | None) -> CardDraft:
    """A link to an image: a "photo" card titled with the file's name."""
    if image is None:
        return CardDraft(url=url, usable=False)
    path = urlsplit(final_url).path.rstrip("/")
    name = clean_text(unquote(path.rsplit("/", 1)[-1]), MAX_TITLE_CHARS)
    return CardDraft(
        url=url,
        usable=True,
        title=name or urlsplit(final_url).hostname or url,
        type=CardType.PHOTO,
        image=image,
    )


def link_trend_key(usage: LinkUsage, now: dt.datetime) -> tuple[int, float, int]:
    """Sort key, best first: distinct accounts sharing the link in the window, then its
    posts weighted by recency (a day's posts count half as much for each day of age)."""
    today = midnight_utc(now)
    weighted = 0.0
    for day, (uses, _accounts) in usage.by_day.items():
        age_days = max(0, (today - day).days)
        weighted += uses * math.pow(0.5, age_days / TREND_HALF_LIFE_DAYS)
    return (-usage.accounts, -weighted, -usage.card_id)
