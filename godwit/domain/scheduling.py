"""Scheduled statuses and direct-message conversations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

MIN_SCHEDULE_AHEAD = dt.timedelta(minutes=5)  # Mastodon refuses anything sooner
MAX_SCHEDULED = 300  # per account, pending at once (Mastodon's limit)
MAX_SCHEDULED_PER_DAY = 25  # per account and calendar day


@dataclass(frozen=True, slots=True)
class ScheduledStatus:
    id: int
    account_id: int
    scheduled_at: dt.datetime
    params: dict[str, Any]  # the post as the client sent it (see services.scheduled)
    application_id: int | None


@dataclass(frozen=True, slots=True)
class Conversation:
    """One participant's view of a direct-message thread."""

    id: int
    account_id: int
    conversation_key: int  # the thread root's id
    participant_ids: tuple[int, ...]  # the others
    last_status_id: int
    unread: bool
