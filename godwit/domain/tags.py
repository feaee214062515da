"""Hashtags as things members act on: followed, featured on a profile, trending.

Pure data and rules. Tags are stored by their key (``godwit.domain.text.tag_key``) with the
spelling first seen kept for display.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from godwit.domain.errors import Invalid
from godwit.domain.text import parse

MAX_TAG_LENGTH = 100
MAX_FEATURED_TAGS = 10
TREND_WINDOW_DAYS = 7
# A use loses half its weight every day: today's tags trend, last week's fade.
TREND_HALF_LIFE_DAYS = 1.0


@dataclass(frozen=True, slots=True)
class Tag:
    id: int
    name: str  # the key: normalised, casefolded
    display_name: str  # as first written


@dataclass(frozen=True, slots=True)
class DayUse:
    """One day of a tag's history: statuses that used it and distinct accounts that did."""

    day: dt.datetime  # midnight UTC
    uses: int
    accounts: int


@dataclass(frozen=True, slots=True)
class TagView:
    """A tag as the Tag entity shows it to one viewer."""

    tag: Tag
    history: tuple[DayUse, ...] = ()
    following: bool | None = None  # None: no viewer
    featuring: bool | None = None


@dataclass(frozen=True, slots=True)
class FeaturedTag:
    id: int
    account_id: int
    tag: Tag
    statuses_count: int
    last_status_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class TagUsage:
    """A tag's use in the trend window: per-day (uses, accounts) from midnight-UTC buckets,
    and the distinct accounts over the whole window."""

    tag_id: int
    by_day: dict[dt.datetime, tuple[int, int]]
    accounts: int


def valid_tag_name(raw: str) -> str:
    """A name a member asked for (with or without "#") if it is a hashtag Godwit would
    recognise in a post, or ``Invalid``."""
    name = raw.strip().removeprefix("#")
    if not name or len(name) > MAX_TAG_LENGTH or parse(f"#{name}").tags != (name,):
        raise Invalid(
            "Validation failed: name is not a valid hashtag",
            {"name": [("ERR_INVALID", "is not a valid hashtag")]},
        )
    return name


def midnight_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def history_days(now: dt.datetime, days: int = TREND_WINDOW_DAYS) -> list[dt.datetime]:
    """The midnights of the last ``days`` days, today first (Mastodon's history order)."""
    today = midnight_utc(now)
    return [today - dt.timedelta(days=offset) for offset in range(days)]


def fill_history(
    uses: dict[dt.datetime, tuple[int, int]], now: dt.datetime, days: int = TREND_WINDOW_DAYS
) -> tuple[DayUse, ...]:
    """Every day of the window, zero where the tag was not used."""
    return tuple(
        DayUse(day=day, uses=uses.get(day, (0, 0))[0], accounts=uses.get(day, (0, 0))[1])
        for day in history_days(now, days)
    )


def trend_score(usage: TagUsage, now: dt.datetime) -> float:
    """A minimal trend score: recency-weighted uses times distinct accounts.

    A day's uses count half as much for each day of age (``TREND_HALF_LIFE_DAYS``); the
    factor of distinct accounts keeps one member repeating a tag from out-trending a tag
    many members use."""
    today = midnight_utc(now)
    weighted = 0.0
    for day, (uses, _accounts) in usage.by_day.items():
        age_days = max(0, (today - day).days)
        weighted += uses * math.pow(0.5, age_days / TREND_HALF_LIFE_DAYS)
    return weighted * usage.accounts
