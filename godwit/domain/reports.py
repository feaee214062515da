"""Reports: a member tells the moderators about an account and, optionally, some of its posts.

Pure rules. The moderators' queue (a later issue) works on the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from godwit.domain.errors import Invalid

CATEGORIES = ("spam", "legal", "violation", "other")
MAX_COMMENT_CHARS = 1000
MAX_REPORTED_STATUSES = 100
MAX_CITED_RULES = 100


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    account_id: int  # the reporter
    target_account_id: int
    status_ids: tuple[int, ...]
    rule_ids: tuple[int, ...]
    category: str
    comment: str
    forward: bool
    created_at: dt.datetime
    action_taken: bool = False
    action_taken_at: dt.datetime | None = None


def _invalid(field: str, description: str) -> Invalid:
    return Invalid(
        f"Validation failed: {field} {description}", {field: [("ERR_INVALID", description)]}
    )


def report_category(category: str | None, rule_ids: Sequence[int]) -> str:
    """The category a report is filed under. Citing rules means "violation" (as Mastodon
    when no category is given); citing rules under another explicit category is a
    contradiction the member must resolve, so it is refused rather than silently changed."""
    if category is None or category == "":
        return "violation" if rule_ids else "other"
    if category not in CATEGORIES:
        raise _invalid("category", f"must be one of {', '.join(CATEGORIES)}")
    if rule_ids and category != "violation":
        raise _invalid("rule_ids", "may only be given for the category violation")
    return category


def check_comment(comment: str) -> str:
    if len(comment) > MAX_COMMENT_CHARS:
        raise Invalid(
            f"Validation failed: comment is too long (maximum is {MAX_COMMENT_CHARS} characters)",
            {"comment": [("ERR_TOO_LONG", f"is too long (maximum is {MAX_COMMENT_CHARS})")]},
        )
    return comment
