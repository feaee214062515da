"""ContentRuleService: admins write the community's rules and the review policy; the
moderation pipeline applies them from the next post on; every change is audit-logged."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from godwit.app import Components
from godwit.domain.content_review import HELD, CommunityRule, RuleKind, ThreatPolicyMode, Verdict
from godwit.domain.content_rules import MAX_CONTENT_RULES, PolicyChange, RuleChange
from godwit.domain.errors import Forbidden, Invalid, NotFound
from godwit.domain.ids import new_id
from godwit.domain.mod_queue import HELD_STATUS, QueueQuery
from godwit.domain.pagination import PageRequest
from godwit.domain.roles import OPERATOR
from godwit.storage.schema import accounts
from tests.services.moderation_support import audit_entries, make_staff, post

HOLD_RULE = RuleChange(kind="keyword", pattern="Sabotage", action="hold", reason="Sabotage talk")


async def _policy(components: Components) -> object:
    async with components.store.read() as tx:
        return await components.services.content_review.policy(tx)


async def _age(components: Components, account_id: int, days: int) -> None:
    """Make an account ``days`` old (the factories make brand-new ones)."""
    async with components.database.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days))
        )


async def test_a_keyword_rule_holds_the_next_post_and_is_audited(components: Components) -> None:
    staff = await make_staff(components)
    rules = components.services.content_rules
    rule = await rules.add_rule(staff.as_admin, HOLD_RULE, reason="after the pier incident")
    assert rule.kind is RuleKind.KEYWORD
    assert rule.action is Verdict.HOLD
    assert await rules.rules(staff.as_admin) == [rule]

    held = await post(components, staff.member, "Time for some SABOTAGE at the pier.")
    fine = await post(components, staff.member, "The saboteurs film was great.")
    async with components.store.read() as tx:
        assert (await tx.statuses.get(held)).review_state == HELD  # type: ignore[union-attr]
        assert (await tx.statuses.get(fine)).review_state is None  # type: ignore[union-attr]
    queue = await components.services.moderation_queue.listing(
        staff.as_moderator, QueueQuery(kind=HELD_STATUS), PageRequest(limit=10)
    )
    assert [entry.item.status_id for entry in queue] == [held]
    assert queue[0].review is not None
    assert [reason.detail for reason in queue[0].review.reasons] == ["Sabotage talk"]

    (entry,) = await audit_entries(components, action="content_rule.create")
    assert entry.actor_name == "@ada"
    assert entry.target_type == "content_rule"
    assert entry.target_id == rule.id
    assert entry.reason == "after the pier incident"
    assert entry.details["pattern"] == "Sabotage"
    assert entry.details["action"] == "hold"


async def test_rules_are_edited_and_deleted_with_their_old_values_in_the_log(
    components: Components,
) -> None:
    staff = await make_staff(components)
    rules = components.services.content_rules
    rule = await rules.add_rule(staff.as_admin, HOLD_RULE)
    changed = RuleChange(
        kind="regex", pattern=r"burn\s+it\s+down", action="reject", reason="No arson calls."
    )
    updated = await rules.update_rule(staff.as_admin, rule.id, changed)
    assert updated == CommunityRule(
        rule.id, RuleKind.REGEX, r"burn\s+it\s+down", Verdict.REJECT, "No arson calls."
    )
    # Saving it unchanged writes no entry.
    await rules.update_rule(staff.as_admin, rule.id, changed)
    (edit,) = await audit_entries(components, action="content_rule.update")
    assert edit.details["from"] == {
        "kind": "keyword",
        "pattern": "Sabotage",
        "action": "hold",
        "reason": "Sabotage talk",
        "new_accounts_only": False,
    }
    assert edit.details["to"]["action"] == "reject"  # type: ignore[index]

    with pytest.raises(Invalid, match="No arson calls"):
        await post(components, staff.member, "Burn  it DOWN tonight")

    await rules.delete_rule(staff.as_admin, rule.id, reason="too broad")
    assert await rules.rules(staff.as_admin) == []
    (deleted,) = await audit_entries(components, action="content_rule.delete")
    assert deleted.reason == "too broad"
    assert deleted.details["pattern"] == r"burn\s+it\s+down"
    await post(components, staff.member, "Burn it down, said the fire marshal of the old shed.")
    with pytest.raises(NotFound):
        await rules.delete_rule(staff.as_admin, rule.id)
    with pytest.raises(NotFound):
        await rules.update_rule(staff.as_admin, rule.id, changed)


async def test_a_rule_for_new_accounts_spares_older_ones(components: Components) -> None:
    staff = await make_staff(components)
    await components.services.content_rules.add_rule(
        staff.as_admin,
        RuleChange(kind="keyword", pattern="free crypto", action="hold", new_accounts_only=True),
    )
    newcomer = await post(components, staff.member, "FREE CRYPTO for all")
    await _age(components, staff.reporter.account_id, days=30)
    regular = await post(components, staff.reporter, "free crypto is never free")
    async with components.store.read() as tx:
        assert (await tx.statuses.get(newcomer)).review_state == HELD  # type: ignore[union-attr]
        assert (await tx.statuses.get(regular)).review_state is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (RuleChange(kind="glob", pattern="x", action="hold"), "kind"),
        (RuleChange(kind="keyword", pattern="   ", action="hold"), "pattern"),
        (RuleChange(kind="keyword", pattern="x" * 501, action="hold"), "pattern"),
        (RuleChange(kind="regex", pattern="(unclosed", action="hold"), "pattern"),
        (RuleChange(kind="keyword", pattern="x", action="publish"), "action"),
        (RuleChange(kind="keyword", pattern="x", action="delete"), "action"),
        (RuleChange(kind="keyword", pattern="x", action="hold", reason="r" * 501), "reason"),
        (RuleChange(kind="keyword", pattern="x", action="reject"), "reason"),
        (RuleChange(kind="keyword", pattern="x", action="label", reason=" "), "reason"),
    ],
)
async def test_unusable_rules_are_refused(
    components: Components, change: RuleChange, field: str
) -> None:
    staff = await make_staff(components)
    with pytest.raises(Invalid) as refused:
        await components.services.content_rules.add_rule(staff.as_admin, change)
    assert list(refused.value.details) == [field]
    assert await components.services.content_rules.rules(staff.as_admin) == []
    assert await audit_entries(components) == []


async def test_a_server_has_at_most_200_rules(components: Components) -> None:
    staff = await make_staff(components)
    now = dt.datetime.now(dt.UTC)
    async with components.store.write() as tx:
        for number in range(MAX_CONTENT_RULES):
            rule = CommunityRule(new_id(), RuleKind.KEYWORD, f"word{number}", Verdict.HOLD, "")
            await tx.content_review.add_rule(rule, now)
    with pytest.raises(Invalid, match="at most 200"):
        await components.services.content_rules.add_rule(staff.as_admin, HOLD_RULE)


async def test_only_admins_change_rules_or_policy(components: Components) -> None:
    staff = await make_staff(components)
    rules = components.services.content_rules
    rule = await rules.add_rule(staff.as_admin, HOLD_RULE)
    policy = PolicyChange(threat_policy="strict")
    for actor in (staff.as_moderator, staff.as_member):
        with pytest.raises(Forbidden):
            await rules.add_rule(actor, HOLD_RULE)
        with pytest.raises(Forbidden):
            await rules.update_rule(actor, rule.id, HOLD_RULE)
        with pytest.raises(Forbidden):
            await rules.delete_rule(actor, rule.id)
        with pytest.raises(Forbidden):
            await rules.update_policy(actor, policy)
        with pytest.raises(Forbidden):
            await rules.current(actor)
    assert await rules.rules(OPERATOR) == [rule]
    assert (await rules.current(OPERATOR)).values["moderation_threat_policy"] == "off"


async def test_the_policy_is_stored_with_the_configuration_types_and_applies(
    components: Components,
) -> None:
    staff = await make_staff(components)
    rules = components.services.content_rules
    before = await rules.current(staff.as_admin)
    assert before.values["moderation_new_account_days"] == 7
    # The scorer is built whenever the moderation extra is installed, whatever the policy.
    assert before.scorer_available is (components.threat_scorer is not None)

    after = await rules.update_policy(
        staff.as_admin,
        PolicyChange(
            threat_policy="custom",
            hold_threshold="0.8",
            label_threshold="0.5",
            max_mentions=4,
            max_links=1,
            new_account_days=3,
            new_account_max_mentions=2,
            new_account_max_links=0,
        ),
        reason="quieter weekend",
    )
    assert after.values["moderation_hold_threshold"] == "0.8"
    assert after.values["moderation_max_links"] == 1
    async with components.store.read() as tx:
        stored = await tx.instance.settings()
    assert stored["moderation_threat_policy"] == "custom"
    assert stored["moderation_label_threshold"] == "0.5"
    assert type(stored["moderation_max_mentions"]) is int
    policy = after.policy
    assert policy == await _policy(components)
    assert policy.threat.mode is ThreatPolicyMode.CUSTOM
    assert (policy.threat.hold_threshold, policy.threat.label_threshold) == (0.8, 0.5)
    assert (policy.limits.max_links, policy.limits.new_account_days) == (1, 3)

    (entry,) = await audit_entries(components, action="settings.update")
    assert entry.reason == "quieter weekend"
    assert entry.details["moderation_threat_policy"] == {"from": "off", "to": "custom"}
    assert entry.details["moderation_max_links"] == {"from": 0, "to": 1}
    assert "moderation_new_account_max_links" not in entry.details  # unchanged: 0 → 0

    # The link limit holds the next post of an established account with two links.
    await _age(components, staff.reporter.account_id, days=30)
    held = await post(components, staff.reporter, "See https://a.example and https://b.example")
    async with components.store.read() as tx:
        assert (await tx.statuses.get(held)).review_state == HELD  # type: ignore[union-attr]

    # The same policy again writes nothing.
    await rules.update_policy(
        staff.as_admin,
        PolicyChange("custom", "0.8", "0.5", 4, 1, 3, 2, 0),
    )
    assert len(await audit_entries(components, action="settings.update")) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (PolicyChange(threat_policy="paranoid"), "threat_policy"),
        (PolicyChange(threat_policy="custom"), "hold_threshold"),
        (PolicyChange(threat_policy="custom", hold_threshold="1.5"), "hold_threshold"),
        (PolicyChange(threat_policy="custom", hold_threshold="nan"), "hold_threshold"),
        (PolicyChange(threat_policy="standard", label_threshold="high"), "label_threshold"),
        (
            PolicyChange(threat_policy="custom", hold_threshold="0.5", label_threshold="0.7"),
            "label_threshold",
        ),
        (PolicyChange(threat_policy="standard", max_links=-1), "max_links"),
        (PolicyChange(threat_policy="standard", new_account_days=100_000), "new_account_days"),
    ],
)
async def test_unusable_policies_are_refused(
    components: Components, change: PolicyChange, field: str
) -> None:
    staff = await make_staff(components)
    with pytest.raises(Invalid) as refused:
        await components.services.content_rules.update_policy(staff.as_admin, change)
    assert list(refused.value.details) == [field]
    async with components.store.read() as tx:
        assert not any(key.startswith("moderation_") for key in await tx.instance.settings())
    assert await audit_entries(components) == []
