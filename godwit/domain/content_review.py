"""The moderation pipeline's rules: what a community decides about a new or edited post.

A post goes through the community's own rules first (keywords and regular expressions, each
with an action; mention and link limits, stricter for new accounts), then the threat
scorer's score against the community's policy. The strongest verdict wins: reject, then
hold, then label, then publish. A score alone never rejects or deletes: at most it holds the
post for a human or labels it.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from godwit.domain.threats import ThreatPreset, ThreatScore

MAX_RULE_PATTERN = 500
MAX_RULE_REASON = 500
REGEX_TIMEOUT_SECONDS = 0.05  # a community's pattern never stalls posting (ReDoS)
DEFAULT_LABEL = "Possibly violent content"


class Verdict(enum.IntEnum):
    """Ordered by strength: a stronger verdict overrides a weaker one."""

    PUBLISH = 0
    LABEL = 1
    HOLD = 2
    REJECT = 3

    @property
    def word(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Verdict | None:
        return {verdict.word: verdict for verdict in cls}.get(value)


class RuleKind(enum.StrEnum):
    KEYWORD = "keyword"  # whole words or phrases, case- and width-insensitive
    REGEX = "regex"


class ThreatPolicyMode(enum.StrEnum):
    OFF = "off"
    STRICT = "strict"
    STANDARD = "standard"
    LENIENT = "lenient"
    CUSTOM = "custom"  # explicit thresholds


@dataclass(frozen=True, slots=True)
class CommunityRule:
    id: int
    kind: RuleKind
    pattern: str
    action: Verdict  # LABEL, HOLD or REJECT
    reason: str  # shown to moderators, and to the author when the post is rejected
    new_accounts_only: bool = False


@dataclass(frozen=True, slots=True)
class PostingLimits:
    """Mention and link limits; 0 means no limit. New accounts get the stricter ones."""

    max_mentions: int = 0
    max_links: int = 0
    new_account_days: int = 7
    new_max_mentions: int = 0
    new_max_links: int = 0
    action: Verdict = Verdict.HOLD


@dataclass(frozen=True, slots=True)
class ThreatPolicy:
    """Which score holds a post and which labels it (None: never)."""

    mode: ThreatPolicyMode = ThreatPolicyMode.STANDARD
    hold_threshold: float | None = None
    label_threshold: float | None = None

    @property
    def enabled(self) -> bool:
        return self.mode is not ThreatPolicyMode.OFF

    def thresholds(self, presets: dict[ThreatPreset, float]) -> tuple[float | None, float | None]:
        """(hold, label) thresholds. A preset holds at its own threshold and labels from the
        next stricter preset's, so a post a stricter community would hold is at least
        labelled here (strict, the strictest, only holds)."""
        if self.mode is ThreatPolicyMode.OFF:
            return None, None
        if self.mode is ThreatPolicyMode.CUSTOM:
            return self.hold_threshold, self.label_threshold
        preset = ThreatPreset(self.mode.value)
        hold = presets[preset]
        stricter = {
            ThreatPreset.LENIENT: ThreatPreset.STANDARD,
            ThreatPreset.STANDARD: ThreatPreset.STRICT,
        }.get(preset)
        label = presets[stricter] if stricter is not None else None
        return hold, label if label is not None and label < hold else None


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a verdict was reached: shown to moderators with the post."""

    source: str  # "rule", "limit" or "scorer"
    verdict: Verdict
    detail: str
    rule_id: int | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    reasons: tuple[Reason, ...] = ()
    score: float | None = None

    @property
    def label(self) -> str:
        """The content warning a LABEL verdict puts on the post."""
        for reason in self.reasons:
            if reason.verdict is Verdict.LABEL and reason.source == "rule":
                return reason.detail[:100]
        return DEFAULT_LABEL

    @property
    def rejection_reason(self) -> str:
        return next(
            (reason.detail for reason in self.reasons if reason.verdict is Verdict.REJECT), ""
        )


def normalise_for_matching(text: str) -> str:
    """NFKC and casefold, so fullwidth letters and capitals match a lowercase keyword."""
    return unicodedata.normalize("NFKC", text).casefold()


def pattern_problem(kind: RuleKind, pattern: str) -> str | None:
    """Why a rule's pattern cannot be used, or None."""
    if not pattern.strip():
        return "can't be blank"
    if len(pattern) > MAX_RULE_PATTERN:
        return f"is too long (maximum is {MAX_RULE_PATTERN} characters)"
    if kind is RuleKind.REGEX:
        try:
            regex.compile(pattern, regex.IGNORECASE | regex.V1)
        except regex.error as error:
            return f"is not a valid regular expression ({error})"
    return None


def rule_matches(rule: CommunityRule, normalised_text: str) -> bool:
    if rule.kind is RuleKind.KEYWORD:
        keyword = normalise_for_matching(rule.pattern).strip()
        pattern = r"(?<!\w)" + regex.escape(keyword) + r"(?!\w)"
        return regex.search(pattern, normalised_text) is not None
    try:
        found = regex.search(
            rule.pattern,
            normalised_text,
            flags=regex.IGNORECASE | regex.V1,
            timeout=REGEX_TIMEOUT_SECONDS,
        )
    except (regex.error, TimeoutError):
        return False  # a broken or runaway pattern never blocks posting
    return found is not None


def is_new_account(created_at: dt.datetime, now: dt.datetime, limits: PostingLimits) -> bool:
    return now - created_at < dt.timedelta(days=limits.new_account_days)


def check_rules(
    text: str,
    *,
    rules: Sequence[CommunityRule],
    limits: PostingLimits,
    mentions: int,
    links: int,
    new_account: bool,
) -> list[Reason]:
    """The reasons the community's own rules give about ``text`` (the post's plain text,
    content warning included)."""
    normalised = normalise_for_matching(text)
    reasons = [
        Reason("rule", rule.action, rule.reason or f"matches {rule.kind} {rule.pattern!r}", rule.id)
        for rule in rules
        if (new_account or not rule.new_accounts_only) and rule_matches(rule, normalised)
    ]
    max_mentions = limits.new_max_mentions if new_account else limits.max_mentions
    max_links = limits.new_max_links if new_account else limits.max_links
    who = "a new account" if new_account else "an account"
    if max_mentions and mentions > max_mentions:
        reasons.append(
            Reason("limit", limits.action, f"{mentions} mentions from {who} (limit {max_mentions})")
        )
    if max_links and links > max_links:
        reasons.append(
            Reason("limit", limits.action, f"{links} links from {who} (limit {max_links})")
        )
    return reasons


def score_reasons(score: ThreatScore, hold: float | None, label: float | None) -> list[Reason]:
    """What the score says under the policy's thresholds, with the nearest seed examples."""
    verdict = Verdict.PUBLISH
    if hold is not None and score.exceeds(hold):
        verdict = Verdict.HOLD
    elif label is not None and score.exceeds(label):
        verdict = Verdict.LABEL
    if verdict is Verdict.PUBLISH:
        return []
    threshold = hold if verdict is Verdict.HOLD else label
    nearest = "; ".join(
        f"{'threat' if example.is_threat else 'not a threat'} ({example.category}, "
        f"similarity {example.similarity:.2f}): {example.text!r}"
        for example in score.nearest
    )
    detail = f"threat score {score.score:.2f} ≥ {threshold:.2f}"
    if nearest:
        detail += f"; nearest examples: {nearest}"
    return [Reason("scorer", verdict, detail)]


def decide(reasons: Sequence[Reason], score: float | None = None) -> Decision:
    """The strongest verdict among the reasons (publish when there are none)."""
    verdict = max((reason.verdict for reason in reasons), default=Verdict.PUBLISH)
    ordered = tuple(sorted(reasons, key=lambda reason: -reason.verdict))
    return Decision(verdict, ordered, score)


# The states of Status.review_state (None: published).
PENDING = "pending"  # waiting for the threat scorer's job
HELD = "held"  # waiting for a moderator
REJECTED = "rejected"  # refused by a moderator: the author still sees it, with the reason


@dataclass(frozen=True, slots=True)
class StatusReview:
    """What the pipeline decided about a post and why, and a moderator's decision."""

    status_id: int
    verdict: Verdict
    reasons: tuple[Reason, ...]
    updated_at: dt.datetime
    score: float | None = None
    decision: str | None = None  # approved | rejected
    decision_note: str = ""
    decided_by_account_id: int | None = None
    decided_at: dt.datetime | None = None
    edit: bool = False  # an edit of a post that was published before
