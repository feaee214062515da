"""What admins set for the moderation pipeline: the community's rules and the review policy.

Admins only: each method checks the role inside its transaction and writes the audit entry
in the same one. The policy is stored as ``server_settings`` rows over the configuration's
``moderation_*`` values, and the rules as rows of their own; ``content_review`` reads both
on every post, so a change applies from the next post on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from godwit.config import Settings
from godwit.domain import audit
from godwit.domain.audit import check_reason
from godwit.domain.content_review import CommunityRule
from godwit.domain.content_rules import (
    MAX_CONTENT_RULES,
    PolicyChange,
    RuleChange,
    checked_policy,
    checked_rule,
    rule_details,
)
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import new_id
from godwit.domain.roles import Actor
from godwit.domain.threats import ThreatPreset
from godwit.ports.store import Store, Transaction
from godwit.ports.threats import ThreatScorer
from godwit.services.audit import Target, load_staff, now, record
from godwit.services.content_review import POLICY_KEYS, ReviewPolicy, effective_policy


@dataclass(frozen=True, slots=True)
class ModerationSettings:
    """The review policy in force, as stored values and as the pipeline reads them."""

    values: Mapping[str, str | int]  # by POLICY_KEYS
    policy: ReviewPolicy
    rules: tuple[CommunityRule, ...]
    # Whether this process has the threat scorer: without it only the rules apply.
    scorer_available: bool
    # The score at or above which each preset holds a post (empty without the scorer).
    preset_thresholds: Mapping[str, float]


def _rule_target(rule: CommunityRule) -> Target:
    return Target("content_rule", rule.id, f"{rule.kind.value} {rule.pattern!r}"[:200])


def _settings_target() -> Target:
    return Target("settings", None, "moderation policy")


class ContentRuleService:
    def __init__(self, store: Store, settings: Settings, scorer: ThreatScorer | None) -> None:
        self.store = store
        self.settings = settings
        self.scorer = scorer

    async def current(self, actor: Actor) -> ModerationSettings:
        async with self.store.read() as tx:
            await load_staff(tx, actor, admin=True)
            return await self._current(tx)

    async def _current(self, tx: Transaction) -> ModerationSettings:
        stored = await tx.instance.settings()
        values = self._values(stored)
        presets: dict[str, float] = {}
        if self.scorer is not None:
            thresholds = self.scorer.thresholds
            presets = {preset.value: thresholds[preset] for preset in ThreatPreset}
        return ModerationSettings(
            values=values,
            policy=effective_policy(self.settings, stored),
            rules=tuple(await tx.content_review.rules()),
            scorer_available=self.scorer is not None,
            preset_thresholds=presets,
        )

    def _values(self, stored: Mapping[str, object]) -> dict[str, str | int]:
        """The configuration's values overlaid by the stored ones of the same type (the
        rule ``effective_policy`` follows)."""
        values: dict[str, str | int] = {key: getattr(self.settings, key) for key in POLICY_KEYS}
        for key in POLICY_KEYS:
            value = stored.get(key)
            if isinstance(value, (str, int)) and type(value) is type(values[key]):
                values[key] = value
        return values

    async def update_policy(
        self, actor: Actor, change: PolicyChange, reason: str = ""
    ) -> ModerationSettings:
        """Store the policy's values that differ from those in force; one audit entry
        lists each with its old and new value (none when nothing changed)."""
        wanted = checked_policy(change)
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor, admin=True)
            before = self._values(await tx.instance.settings())
            changed: dict[str, object] = {}
            for key, value in wanted.items():
                if before[key] != value:
                    await tx.instance.set_setting(key, value)
                    changed[key] = {"from": before[key], "to": value}
            if changed:
                await record(
                    tx, staff, audit.SETTINGS_UPDATE, _settings_target(), reason=reason,
                    details=changed,
                )  # fmt: skip
            return await self._current(tx)

    async def rules(self, actor: Actor) -> list[CommunityRule]:
        async with self.store.read() as tx:
            await load_staff(tx, actor, admin=True)
            return await tx.content_review.rules()

    async def add_rule(self, actor: Actor, change: RuleChange, reason: str = "") -> CommunityRule:
        rule = checked_rule(new_id(), change)
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor, admin=True)
            if len(await tx.content_review.rules()) >= MAX_CONTENT_RULES:
                raise Invalid(f"A server has at most {MAX_CONTENT_RULES} content rules")
            await tx.content_review.add_rule(rule, now())
            await record(
                tx, staff, audit.CONTENT_RULE_CREATE, _rule_target(rule), reason=reason,
                details=rule_details(rule),
            )  # fmt: skip
            return rule

    async def update_rule(
        self, actor: Actor, rule_id: int, change: RuleChange, reason: str = ""
    ) -> CommunityRule:
        rule = checked_rule(rule_id, change)
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor, admin=True)
            before = await tx.content_review.get_rule(rule_id)
            if before is None:
                raise NotFound()
            if before != rule:
                await tx.content_review.update_rule(rule)
                details: dict[str, object] = {
                    "from": rule_details(before),
                    "to": rule_details(rule),
                }
                await record(
                    tx, staff, audit.CONTENT_RULE_UPDATE, _rule_target(rule), reason=reason,
                    details=details,
                )  # fmt: skip
            return rule

    async def delete_rule(self, actor: Actor, rule_id: int, reason: str = "") -> None:
        """Later posts no longer meet the rule; reviews that cite it keep its reason."""
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor, admin=True)
            rule = await tx.content_review.get_rule(rule_id)
            if rule is None:
                raise NotFound()
            await tx.content_review.delete_rule(rule_id)
            await record(
                tx, staff, audit.CONTENT_RULE_DELETE, _rule_target(rule), reason=reason,
                details=rule_details(rule),
            )  # fmt: skip
