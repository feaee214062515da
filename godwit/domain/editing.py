"""Editing a status: what an edit changes and the revisions kept of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from godwit.domain.media import MediaSnapshot


@dataclass(frozen=True, slots=True)
class StatusRevision:
    """One version of a status as it was shown (StatusEdit in Mastodon's API)."""

    text: str
    content: str
    spoiler_text: str
    sensitive: bool
    created_at: dt.datetime
    poll_options: tuple[str, ...] | None = None  # the poll's options then (None: no poll)
    media: tuple[MediaSnapshot, ...] = ()  # the attachments then, as they were described


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
    # The poll options of the new version, and of the version before the edit (recorded
    # as the original revision on a first edit); None: no poll.
    poll_options: tuple[str, ...] | None = None
    previous_poll_options: tuple[str, ...] | None = None
    # The attachments of the new version, and of the version before the edit.
    media: tuple[MediaSnapshot, ...] = ()
    previous_media: tuple[MediaSnapshot, ...] = ()


@dataclass(frozen=True, slots=True)
class StatusSource:
    id: int
    text: str
    spoiler_text: str
