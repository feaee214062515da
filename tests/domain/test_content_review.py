"""The moderation pipeline's verdicts: community rules, limits, the score under a policy."""

from __future__ import annotations

import datetime as dt

from godwit.domain.content_review import (
    CommunityRule,
    PostingLimits,
    RuleKind,
    ThreatPolicy,
    ThreatPolicyMode,
    Verdict,
    check_rules,
    decide,
    is_new_account,
    pattern_problem,
    score_reasons,
)
from godwit.domain.threats import SeedExample, ThreatPreset, ThreatScore

PRESETS = {ThreatPreset.STRICT: 0.3, ThreatPreset.STANDARD: 0.5, ThreatPreset.LENIENT: 0.8}
NO_LIMITS = PostingLimits()


def rule(
    pattern: str, action: Verdict, kind: RuleKind = RuleKind.KEYWORD, **extra: bool
) -> CommunityRule:
    return CommunityRule(1, kind, pattern, action, f"rule {pattern}", **extra)


def verdict_of(text: str, *rules: CommunityRule, new: bool = False, **counts: int) -> Verdict:
    reasons = check_rules(
        text,
        rules=rules,
        limits=PostingLimits(max_mentions=5, max_links=3, new_max_mentions=2, new_max_links=1),
        mentions=counts.get("mentions", 0),
        links=counts.get("links", 0),
        new_account=new,
    )
    return decide(reasons).verdict


def test_keywords_match_whole_words_whatever_the_case_or_width() -> None:
    hold = rule("burn it down", Verdict.HOLD)
    assert verdict_of("We should BURN IT DOWN tonight", hold) is Verdict.HOLD
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in "burn it down")
    assert verdict_of(fullwidth, hold) is Verdict.HOLD
    assert verdict_of("sunburn it downtown", hold) is Verdict.PUBLISH
    assert verdict_of("a quiet evening", hold) is Verdict.PUBLISH


def test_the_strongest_verdict_wins() -> None:
    rules = (rule("spoiler", Verdict.LABEL), rule("scam", Verdict.REJECT), rule("x", Verdict.HOLD))
    decision = decide(
        check_rules(
            "spoiler: scam x",
            rules=rules,
            limits=NO_LIMITS,
            mentions=0,
            links=0,
            new_account=False,
        )
    )
    assert decision.verdict is Verdict.REJECT
    assert decision.rejection_reason == "rule scam"
    assert decision.reasons[0].verdict is Verdict.REJECT


def test_regular_expressions_and_runaway_patterns() -> None:
    crypto = rule(r"free\s+(btc|eth)", Verdict.HOLD, RuleKind.REGEX)
    assert verdict_of("Get FREE   BTC now", crypto) is Verdict.HOLD
    runaway = rule(r"(a|aa)+(b|c)*x", Verdict.REJECT, RuleKind.REGEX)
    assert verdict_of("a" * 5000, runaway) is Verdict.PUBLISH  # timed out: never blocks posting
    assert pattern_problem(RuleKind.REGEX, "(unclosed") is not None
    assert pattern_problem(RuleKind.KEYWORD, "   ") == "can't be blank"
    assert pattern_problem(RuleKind.REGEX, r"\bok\b") is None


def test_new_accounts_get_stricter_limits_and_their_own_rules() -> None:
    only_new = rule("buy now", Verdict.HOLD, new_accounts_only=True)
    assert verdict_of("buy now", only_new, new=False) is Verdict.PUBLISH
    assert verdict_of("buy now", only_new, new=True) is Verdict.HOLD
    assert verdict_of("hi", mentions=3) is Verdict.PUBLISH
    assert verdict_of("hi", mentions=3, new=True) is Verdict.HOLD
    assert verdict_of("hi", links=2, new=True) is Verdict.HOLD
    assert verdict_of("hi", links=4) is Verdict.HOLD
    created = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert is_new_account(created, created + dt.timedelta(days=6), NO_LIMITS)
    assert not is_new_account(created, created + dt.timedelta(days=8), NO_LIMITS)


def test_a_score_holds_or_labels_by_policy_and_never_rejects() -> None:
    example = SeedExample("I will hurt you", True, "direct threat", 0.91)
    high, middle, low = (ThreatScore(s, (example,)) for s in (0.9, 0.6, 0.35))
    standard = ThreatPolicy(ThreatPolicyMode.STANDARD).thresholds(PRESETS)
    assert standard == (0.5, 0.3)
    assert decide(score_reasons(high, *standard)).verdict is Verdict.HOLD
    assert decide(score_reasons(middle, *standard)).verdict is Verdict.HOLD
    assert decide(score_reasons(low, *standard)).verdict is Verdict.LABEL
    lenient = ThreatPolicy(ThreatPolicyMode.LENIENT).thresholds(PRESETS)
    assert decide(score_reasons(middle, *lenient)).verdict is Verdict.LABEL
    assert ThreatPolicy(ThreatPolicyMode.STRICT).thresholds(PRESETS) == (0.3, None)
    assert ThreatPolicy(ThreatPolicyMode.OFF).thresholds(PRESETS) == (None, None)
    custom = ThreatPolicy(ThreatPolicyMode.CUSTOM, hold_threshold=0.95, label_threshold=0.7)
    assert decide(score_reasons(high, *custom.thresholds(PRESETS))).verdict is Verdict.LABEL
    reasons = score_reasons(high, *standard)
    assert "I will hurt you" in reasons[0].detail  # the nearest examples are the evidence
    assert all(reason.verdict is not Verdict.REJECT for reason in reasons)
