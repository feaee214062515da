"""The moderators' queue: items waiting for a human decision, whatever their kind.

Today every item is a report (``kind`` "report"); issue 6 adds posts held for review
("held_status") to the same queue. The workflow — open or resolved, who is assigned, what
was done, the note, the age against the response target — belongs to the item; what the
item is about (the report's comment and posts, a held post's score and reasons) belongs to
its kind's own table. See docs/decisions/0020-moderation-queue-items.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from godwit.domain.errors import Invalid

REPORT = "report"
HELD_STATUS = "held_status"  # a post the moderation pipeline held for review
KINDS = (REPORT, HELD_STATUS)
OPEN = "open"
RESOLVED = "resolved"
STATES = (OPEN, RESOLVED)
# What a resolution says was done: "none" (dismissed: nothing wrong), or the action taken.
# What a moderator may record when resolving a report by hand.
REPORT_RESOLUTIONS = (
    "none", "warn", "sensitive", "silence", "disable", "suspend", "delete_statuses",
    "mark_statuses_as_sensitive",
)  # fmt: skip
# A held post's item is resolved only by approving or rejecting the post (content_review).
HELD_RESOLUTIONS = ("approve", "reject")
RESOLUTIONS = REPORT_RESOLUTIONS + HELD_RESOLUTIONS
MAX_NOTE = 2000
# Apple asks that reports be acted on within 24 hours (trust-and-safety.md, C4).
RESPONSE_TARGET = dt.timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class QueueItem:
    id: int  # for a report, the report's own id
    kind: str
    target_account_id: int  # whose conduct or content is in question
    state: str
    created_at: dt.datetime
    updated_at: dt.datetime
    report_id: int | None = None
    status_id: int | None = None  # a held post (kind held_status)
    assigned_account_id: int | None = None
    resolution: str | None = None
    resolution_note: str = ""
    resolved_at: dt.datetime | None = None
    resolved_by_account_id: int | None = None

    @property
    def open(self) -> bool:
        return self.state == OPEN

    def age(self, now: dt.datetime) -> dt.timedelta:
        end = self.resolved_at if self.resolved_at is not None else now
        return end - self.created_at

    def overdue(self, now: dt.datetime) -> bool:
        """Open for longer than the response target."""
        return self.open and self.age(now) > RESPONSE_TARGET


@dataclass(frozen=True, slots=True)
class QueueQuery:
    """Filters of a queue listing; None means any."""

    state: str | None = OPEN
    kind: str | None = None
    assigned_account_id: int | None = None
    unassigned: bool = False
    target_account_id: int | None = None
    reporter_account_id: int | None = None  # reports filed by this account


def _inclusion(field: str) -> Invalid:
    return Invalid(
        f"Validation failed: {field} is not included in the list",
        {field: [("ERR_INCLUSION", "is not included in the list")]},
    )


def check_state(state: str | None) -> str | None:
    if state in (None, ""):
        return None
    if state not in STATES:
        raise _inclusion("state")
    return state


def check_kind(kind: str | None) -> str | None:
    if kind in (None, ""):
        return None
    if kind not in KINDS:
        raise _inclusion("kind")
    return kind


def check_resolution(resolution: str | None) -> str:
    if resolution in (None, ""):
        return "none"
    if resolution not in REPORT_RESOLUTIONS:
        raise _inclusion("action_taken")
    return resolution


def check_note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        description = f"is too long (maximum is {MAX_NOTE} characters)"
        raise Invalid(
            f"Validation failed: note {description}", {"note": [("ERR_TOO_LONG", description)]}
        )
    return note
