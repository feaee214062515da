"""Editing a status: what an edit changes and the revisions kept of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StatusRevision:
    """One version of a status as it was shown (StatusEdit in Mastodon's API)."""

    text: str
    content: str
    spoiler_text: str
    sensitive: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A new version of a status, rendered and with its mentions and tags resolved."""

    status_id: int
    text: str
    content: str
    spoiler_text: str
    sensitive: bool
    language: str | None
    edited_at: dt.datetime
    mentioned_account_ids: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()  # as written


@dataclass(frozen=True, slots=True)
class StatusSource:
    id: int
    text: str
    spoiler_text: str
