"""What admins may set in the moderation pipeline: community rules and the review policy.

The pipeline itself (``content_review``) reads rules and policy as they are stored; the
checks here make sure only usable values are stored: a pattern that compiles, an action
that exists, thresholds between 0 and 1, and limits that are whole numbers. The policy's
values keep the types of their configuration fields (``Settings.moderation_*``: strings for
the policy and thresholds, integers for the limits), as ``effective_policy`` ignores a
stored value of another type.
"""

from __future__ import annotations

from dataclasses import dataclass

from godwit.domain.content_review import (
    MAX_RULE_REASON,
    CommunityRule,
    RuleKind,
    ThreatPolicyMode,
    Verdict,
    pattern_problem,
)
from godwit.domain.errors import Invalid

MAX_CONTENT_RULES = 200
MAX_LIMIT = 10_000  # mentions or links in one post: far above any real post
MAX_NEW_ACCOUNT_DAYS = 3650
RULE_ACTIONS = (Verdict.LABEL, Verdict.HOLD, Verdict.REJECT)

# The server_settings keys of the policy (the same names as the configuration fields).
THREAT_POLICY = "moderation_threat_policy"
HOLD_THRESHOLD = "moderation_hold_threshold"
LABEL_THRESHOLD = "moderation_label_threshold"
MAX_MENTIONS = "moderation_max_mentions"
MAX_LINKS = "moderation_max_links"
NEW_ACCOUNT_DAYS = "moderation_new_account_days"
NEW_MAX_MENTIONS = "moderation_new_account_max_mentions"
NEW_MAX_LINKS = "moderation_new_account_max_links"
LIMIT_KEYS = (MAX_MENTIONS, MAX_LINKS, NEW_ACCOUNT_DAYS, NEW_MAX_MENTIONS, NEW_MAX_LINKS)


@dataclass(frozen=True, slots=True)
class RuleChange:
    """A rule as an admin wrote it (the action by its word: label, hold or reject)."""

    kind: str
    pattern: str
    action: str
    reason: str = ""
    new_accounts_only: bool = False


@dataclass(frozen=True, slots=True)
class PolicyChange:
    """The whole review policy as an admin sent it (thresholds as typed: "" for none)."""

    threat_policy: str
    hold_threshold: str = ""
    label_threshold: str = ""
    max_mentions: int = 0
    max_links: int = 0
    new_account_days: int = 7
    new_account_max_mentions: int = 0
    new_account_max_links: int = 0


def _invalid(field: str, code: str, description: str) -> Invalid:
    return Invalid(f"Validation failed: {field} {description}", {field: [(code, description)]})


def checked_rule(rule_id: int, change: RuleChange) -> CommunityRule:
    """The rule to store, or ``Invalid`` naming the field at fault."""
    try:
        kind = RuleKind(change.kind)
    except ValueError:
        raise _invalid("kind", "ERR_INCLUSION", "is not included in the list") from None
    # A keyword's surrounding spaces mean nothing; a regular expression's might.
    pattern = change.pattern.strip() if kind is RuleKind.KEYWORD else change.pattern
    problem = pattern_problem(kind, pattern)
    if problem is not None:
        code = "ERR_BLANK" if problem == "can't be blank" else "ERR_INVALID"
        raise _invalid("pattern", code, problem)
    action = Verdict.parse(change.action)
    if action not in RULE_ACTIONS:
        raise _invalid("action", "ERR_INCLUSION", "is not included in the list")
    reason = change.reason.strip()
    if len(reason) > MAX_RULE_REASON:
        raise _invalid(
            "reason", "ERR_TOO_LONG", f"is too long (maximum is {MAX_RULE_REASON} characters)"
        )
    if not reason and action is not Verdict.HOLD:
        # A label's reason is the post's content warning, a rejection's is what the author
        # is told: without one they would read the rule's pattern.
        raise _invalid("reason", "ERR_BLANK", "can't be blank when the rule labels or rejects")
    return CommunityRule(
        id=rule_id,
        kind=kind,
        pattern=pattern,
        action=action,
        reason=reason,
        new_accounts_only=change.new_accounts_only,
    )


def rule_details(rule: CommunityRule) -> dict[str, object]:
    """A rule as the audit log records it."""
    return {
        "kind": rule.kind.value,
        "pattern": rule.pattern,
        "action": rule.action.word,
        "reason": rule.reason,
        "new_accounts_only": rule.new_accounts_only,
    }


def _threshold(field: str, raw: str) -> str:
    value = raw.strip()
    if not value:
        return ""
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:  # also refuses nan and inf
        raise _invalid(field, "ERR_INVALID", "must be a number from 0 to 1")
    return value


def _limit(field: str, value: int, maximum: int) -> int:
    if value < 0:
        raise _invalid(field, "ERR_INVALID", "must be 0 or more")
    if value > maximum:
        raise _invalid(field, "ERR_INVALID", f"must be at most {maximum}")
    return value


def checked_policy(change: PolicyChange) -> dict[str, str | int]:
    """The policy's server_settings values by key, or ``Invalid`` naming the field."""
    try:
        mode = ThreatPolicyMode(change.threat_policy)
    except ValueError:
        raise _invalid("threat_policy", "ERR_INCLUSION", "is not included in the list") from None
    hold = _threshold("hold_threshold", change.hold_threshold)
    label = _threshold("label_threshold", change.label_threshold)
    if mode is ThreatPolicyMode.CUSTOM:
        if not hold:
            raise _invalid("hold_threshold", "ERR_BLANK", "can't be blank with custom thresholds")
        if label and float(label) >= float(hold):
            # Hold wins over label: a label threshold at or above it would never apply.
            raise _invalid(
                "label_threshold", "ERR_INVALID", "must be lower than the hold threshold"
            )
    return {
        THREAT_POLICY: mode.value,
        HOLD_THRESHOLD: hold,
        LABEL_THRESHOLD: label,
        MAX_MENTIONS: _limit("max_mentions", change.max_mentions, MAX_LIMIT),
        MAX_LINKS: _limit("max_links", change.max_links, MAX_LIMIT),
        NEW_ACCOUNT_DAYS: _limit("new_account_days", change.new_account_days, MAX_NEW_ACCOUNT_DAYS),
        NEW_MAX_MENTIONS: _limit(
            "new_account_max_mentions", change.new_account_max_mentions, MAX_LIMIT
        ),
        NEW_MAX_LINKS: _limit("new_account_max_links", change.new_account_max_links, MAX_LIMIT),
    }
