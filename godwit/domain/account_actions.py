"""Moderation actions on accounts and posts, and the warnings members are shown.

The account actions are Mastodon's (``Admin::AccountAction``): ``none`` (a warning only),
``sensitive`` (force every post's media behind a warning), ``silence`` (limit: hidden from
public timelines, search and trends for non-followers; notifications from it filtered),
``disable`` (freeze the login, keep the account) and ``suspend`` (tokens revoked, sign-in
refused, profile and posts hidden; data kept for a grace period so it can be undone). Each
is recorded as an ``AccountWarning`` that the member sees in a ``moderation_warning``
notification, with the moderator's text.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from godwit.domain.errors import Invalid


class AccountAction(enum.StrEnum):
    NONE = "none"
    SENSITIVE = "sensitive"
    SILENCE = "silence"
    DISABLE = "disable"
    SUSPEND = "suspend"

    @classmethod
    def parse(cls, raw: str | None) -> AccountAction:
        try:
            return cls(raw or "")
        except ValueError:
            raise Invalid(
                "Validation failed: type must be one of none, sensitive, disable, silence, suspend",
                {"type": [("ERR_INCLUSION", "is not included in the list")]},
            ) from None


# AccountWarning.action values (Mastodon's AccountWarningActionEnum).
WARNING_ACTIONS = (
    "none", "disable", "mark_statuses_as_sensitive", "delete_statuses", "sensitive", "silence",
    "suspend",
)  # fmt: skip
DELETE_STATUSES = "delete_statuses"
MARK_STATUSES_AS_SENSITIVE = "mark_statuses_as_sensitive"

# How long a suspended account's data is kept, restorable by unsuspending (Mastodon: 30
# days). Nothing is deleted when an account is suspended; a later purge may delete it after.
SUSPENSION_GRACE = dt.timedelta(days=30)


@dataclass(frozen=True, slots=True)
class AccountWarning:
    """A moderation decision as the member sees it (Mastodon's AccountWarning)."""

    id: int
    target_account_id: int
    action: str  # one of WARNING_ACTIONS
    text: str
    status_ids: tuple[int, ...]
    created_at: dt.datetime
    actor_account_id: int | None = None  # never shown to the member
    report_id: int | None = None


@dataclass(frozen=True, slots=True)
class MemberState:
    """What moderators see of an account's standing (Mastodon's Admin::Account flags)."""

    account_id: int
    user_id: int | None  # None for a remote account
    role: str
    email: str
    approved: bool
    disabled: bool
    suspended_at: dt.datetime | None
    silenced_at: dt.datetime | None
    sensitized_at: dt.datetime | None
    created_at: dt.datetime
    signup_reason: str = ""
    signup_ip: str = ""
    last_sign_in_at: dt.datetime | None = None
    locale: str = ""

    @property
    def pending(self) -> bool:
        return self.user_id is not None and not self.approved


def restorable_until(suspended_at: dt.datetime) -> dt.datetime:
    return suspended_at + SUSPENSION_GRACE


def restorable(suspended_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether an unsuspension may still bring the account back (its grace period runs)."""
    return now < restorable_until(suspended_at)
