"""Finding people and posts: suggestions, directory order, announcements. Pure data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from godwit.domain.errors import Invalid

DIRECTORY_ORDERS = ("active", "new")
SUGGESTION_SOURCES = ("most_followed", "friends_of_friends")


@dataclass(frozen=True, slots=True)
class Announcement:
    id: int
    content: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    all_day: bool
    published_at: dt.datetime
    updated_at: dt.datetime
    read: bool = False


@dataclass(frozen=True, slots=True)
class Suggested:
    account_id: int
    sources: tuple[str, ...]


def directory_order(raw: str | None) -> str:
    if raw is None or raw == "":
        return "active"
    if raw not in DIRECTORY_ORDERS:
        raise Invalid(
            "Validation failed: order must be active or new",
            {"order": [("ERR_INVALID", "must be active or new")]},
        )
    return raw


def merge_suggestions(popular: list[int], friends: list[int], limit: int) -> list[Suggested]:
    """Friends of friends first (more personal), then popular accounts; one entry per
    account with every reason that applies."""
    reasons: dict[int, list[str]] = {}
    for account_id in friends:
        reasons.setdefault(account_id, []).append("friends_of_friends")
    for account_id in popular:
        reasons.setdefault(account_id, []).append("most_followed")
    return [Suggested(account_id, tuple(sources)) for account_id, sources in reasons.items()][
        :limit
    ]
