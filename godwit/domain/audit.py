"""The audit log: every moderator and admin action, who, what, when and why.

Entries are only ever added. The repository has no method to change or remove one, and the
database refuses UPDATE and DELETE on the table with a trigger (migration 0003), so not even
a bug or a hand-typed SQL statement by the application's role rewrites history.

An entry names its actor and target by id *and* by a snapshot of their name: entries outlive
the accounts they mention (a rejected sign-up is deleted for real), and the table has no
foreign keys, whose ON DELETE actions would be the very updates the trigger refuses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from godwit.domain.errors import Invalid

MAX_REASON = 2000

# What was done. The prefix names the kind of target.
ACCOUNT_WARN = "account.warn"
ACCOUNT_SENSITIVE = "account.sensitive"
ACCOUNT_UNSENSITIVE = "account.unsensitive"
ACCOUNT_LIMIT = "account.limit"
ACCOUNT_UNLIMIT = "account.unlimit"
ACCOUNT_SUSPEND = "account.suspend"
ACCOUNT_UNSUSPEND = "account.unsuspend"
ACCOUNT_DISABLE = "account.disable"
ACCOUNT_ENABLE = "account.enable"
ACCOUNT_APPROVE = "account.approve"
ACCOUNT_REJECT = "account.reject"
ACCOUNT_ROLE = "account.role"
STATUS_DELETE = "status.delete"
STATUS_SENSITIVE = "status.sensitive"
STATUS_APPROVE = "status.approve"  # a held post let through
STATUS_REJECT = "status.reject"  # a held post refused
CONTENT_RULE_CREATE = "content_rule.create"
CONTENT_RULE_UPDATE = "content_rule.update"
CONTENT_RULE_DELETE = "content_rule.delete"
QUEUE_ASSIGN = "queue.assign"
QUEUE_UNASSIGN = "queue.unassign"
QUEUE_RESOLVE = "queue.resolve"
QUEUE_REOPEN = "queue.reopen"
SETTINGS_UPDATE = "settings.update"
RULE_CREATE = "rule.create"
RULE_UPDATE = "rule.update"
RULE_DELETE = "rule.delete"

ACTIONS = (
    ACCOUNT_WARN, ACCOUNT_SENSITIVE, ACCOUNT_UNSENSITIVE, ACCOUNT_LIMIT, ACCOUNT_UNLIMIT,
    ACCOUNT_SUSPEND, ACCOUNT_UNSUSPEND, ACCOUNT_DISABLE, ACCOUNT_ENABLE, ACCOUNT_APPROVE,
    ACCOUNT_REJECT, ACCOUNT_ROLE, STATUS_DELETE, STATUS_SENSITIVE, QUEUE_ASSIGN,
    QUEUE_UNASSIGN, QUEUE_RESOLVE, QUEUE_REOPEN, SETTINGS_UPDATE, RULE_CREATE, RULE_UPDATE,
    RULE_DELETE, STATUS_APPROVE, STATUS_REJECT, CONTENT_RULE_CREATE, CONTENT_RULE_UPDATE,
    CONTENT_RULE_DELETE,
)  # fmt: skip
TARGET_TYPES = ("account", "status", "queue_item", "settings", "rule", "content_rule")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int  # time-ordered: the log pages by id
    created_at: dt.datetime
    actor_account_id: int | None  # None: the operator at the command line
    actor_name: str
    action: str  # one of ACTIONS
    target_type: str  # one of TARGET_TYPES
    target_id: int | None
    target_account_id: int | None  # the member concerned, for "everything about @x"
    target_name: str
    reason: str = ""
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Filters of an audit log listing; None means any."""

    actor_account_id: int | None = None
    target_account_id: int | None = None
    action: str | None = None  # an action, or a prefix ending in "." ("account.")
    target_type: str | None = None


def check_reason(reason: str) -> str:
    """The reason as recorded: stripped, at most MAX_REASON characters."""
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        description = f"is too long (maximum is {MAX_REASON} characters)"
        raise Invalid(
            f"Validation failed: reason {description}", {"reason": [("ERR_TOO_LONG", description)]}
        )
    return reason


def check_action_filter(action: str | None) -> str | None:
    if action is None or action == "":
        return None
    if action in ACTIONS or any(
        known.startswith(action) for known in ACTIONS if action.endswith(".")
    ):
        return action
    raise Invalid(
        "Validation failed: action is not a known audit action",
        {"action": [("ERR_INCLUSION", "is not included in the list")]},
    )
