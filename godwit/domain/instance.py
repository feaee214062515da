"""What the server says about itself: rules, custom emojis, usage figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ACTIVE_MONTH = dt.timedelta(days=30)
ACTIVE_HALFYEAR = dt.timedelta(days=180)
ACTIVITY_WEEKS = 12


@dataclass(frozen=True, slots=True)
class InstanceRule:
    id: int
    text: str
    hint: str


@dataclass(frozen=True, slots=True)
class CustomEmoji:
    shortcode: str
    image_path: str  # relative to the media URL
    visible_in_picker: bool
    category: str | None


@dataclass(frozen=True, slots=True)
class UsageStats:
    user_count: int  # local members who may sign in
    status_count: int  # local posts
    domain_count: int  # other servers we know of
    active_month: int  # members who posted or signed in within 30 days
    active_halfyear: int


@dataclass(frozen=True, slots=True)
class WeeklyActivity:
    week_start: dt.datetime
    statuses: int
    logins: int
    registrations: int


def week_starts(now: dt.datetime, weeks: int = ACTIVITY_WEEKS) -> list[dt.datetime]:
    """Mondays 00:00 UTC, newest first, the first being this week's."""
    today = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=n) for n in range(weeks)]
