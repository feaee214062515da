"""The moderation policy page (admins only): the threat policy, the posting limits and the
community rules, saved from the web and applied to the next post; every change audited."""

from __future__ import annotations

import httpx
import pytest

from godwit.app import Components
from godwit.domain.content_review import HELD
from godwit.domain.content_rules import RuleChange
from godwit.domain.mod_queue import HELD_STATUS, QueueQuery
from godwit.domain.pagination import PageRequest
from godwit.domain.roles import OPERATOR
from tests.services.moderation_support import audit_entries, post
from tests.web.admin_support import audit_rows, make_staff, page_text, post_form, signed_in

POLICY = {
    "threat_policy": "custom",
    "hold_threshold": "0.85",
    "label_threshold": "0.6",
    "max_mentions": "8",
    "max_links": "4",
    "new_account_days": "10",
    "new_account_max_mentions": "3",
    "new_account_max_links": "1",
    "reason": "Quieter weekend.",
}
RULE = {
    "kind": "keyword",
    "pattern": "torch the depot",
    "action": "hold",
    "rule_reason": "Arson talk about the depot",
    "reason": "After the depot fire.",
}
XSS = "<script>alert('owned')</script>"


async def _review_state(components: Components, status_id: int) -> str | None:
    async with components.store.read() as tx:
        status = await tx.statuses.get(status_id)
    assert status is not None
    return status.review_state


async def test_an_admin_saves_the_policy_and_the_next_post_follows_it(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    token = await signed_in(web, web_components, staff.admin)
    page = await web.get("/admin/moderation")
    assert page.status_code == 200
    assert 'aria-current="page">Moderation policy' in page.text
    text = page_text(page.text)
    for phrase in ("Strict Flags the most posts", "Lenient Flags the fewest posts", "Custom"):
        assert phrase in text
    assert 'id="policy-off" name="threat_policy" value="off" checked' in page.text
    # The scorer is built whenever the moderation extra is installed, whatever the policy.
    scorer_missing = "The scorer is not running on this server" in text
    assert scorer_missing == (web_components.threat_scorer is None)
    assert 'for="policy-max_links"' in page.text

    saved = await post_form(web, token, "/admin/moderation", POLICY)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/admin/moderation?notice=moderation_saved"
    shown = await web.get("/admin/moderation")
    assert 'id="policy-custom" name="threat_policy" value="custom" checked' in shown.text
    assert 'value="0.85"' in shown.text
    async with web_components.store.read() as tx:
        policy = await web_components.services.content_review.policy(tx)
    assert policy.threat.hold_threshold == 0.85
    assert (policy.limits.new_account_days, policy.limits.new_max_links) == (10, 1)

    # The member is a new account: two links are over the new accounts' limit of one.
    held = await post(
        web_components, staff.member, "Two shops: https://a.example and https://b.example"
    )
    assert await _review_state(web_components, held) == HELD

    (entry,) = await audit_entries(web_components, action="settings.update")
    assert entry.reason == "Quieter weekend."
    assert entry.details["moderation_new_account_max_links"] == {"from": 0, "to": 1}
    log = audit_rows((await web.get("/admin/audit-log")).text)
    assert any(
        "Changed server settings" in row and "Threat policy off → custom" in row for row in log
    )


async def test_a_rule_added_on_the_page_holds_the_next_post_and_is_audited(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    token = await signed_in(web, web_components, staff.admin)
    added = await post_form(web, token, "/admin/moderation/rules", RULE)
    assert added.status_code == 303
    assert added.headers["location"] == (
        "/admin/moderation?notice=content_rule_added#content-rules"
    )
    (rule,) = await web_components.services.content_rules.rules(OPERATOR)
    page = page_text((await web.get("/admin/moderation")).text)
    assert "Hold for review Keyword torch the depot" in page

    held = await post(web_components, staff.member, "Tonight we TORCH the depot.")
    fine = await post(web_components, staff.member, "The torch at the depot is lit for the parade.")
    assert await _review_state(web_components, held) == HELD
    assert await _review_state(web_components, fine) is None
    queue = await web_components.services.moderation_queue.listing(
        staff.as_moderator, QueueQuery(kind=HELD_STATUS), PageRequest(limit=5)
    )
    assert [entry.item.status_id for entry in queue] == [held]

    # Edited to reject: the author is refused at once, with the rule's reason.
    edited = await post_form(
        web,
        token,
        f"/admin/moderation/rules/{rule.id}",
        {**RULE, "action": "reject", "rule_reason": "No arson calls", "reason": ""},
    )
    assert edited.status_code == 303
    refused = await web.post(
        "/api/v1/statuses",
        headers=staff.member.headers,
        data={"status": "torch the depot"},
    )
    assert refused.status_code == 422
    assert "No arson calls" in refused.text

    deleted = await post_form(
        web, token, f"/admin/moderation/rules/{rule.id}/delete", {"reason": "Done."}
    )
    assert deleted.status_code == 303
    assert await web_components.services.content_rules.rules(OPERATOR) == []
    actions = [entry.action for entry in await audit_entries(web_components)]
    assert actions == ["content_rule.delete", "content_rule.update", "content_rule.create"]
    log = audit_rows((await web.get("/admin/audit-log?action=content_rule.")).text)
    assert len(log) == 3
    assert "Deleted community rule" in log[0]
    assert "Done." in log[0]
    assert "Edited community rule" in log[1]
    assert "Added community rule" in log[2]
    assert "After the depot fire." in log[2]


async def test_refused_rules_and_policies_are_shown_again_with_the_problem(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    token = await signed_in(web, web_components, staff.admin)
    bad_regex = await post_form(
        web, token, "/admin/moderation/rules", {**RULE, "kind": "regex", "pattern": "(torch"}
    )
    assert bad_regex.status_code == 422
    assert "The rule was not saved" in bad_regex.text
    assert 'aria-invalid="true" aria-describedby="rule-new-pattern-error"' in bad_regex.text
    assert "is not a valid regular expression" in bad_regex.text
    assert 'value="(torch"' in bad_regex.text  # what was typed is kept

    no_reason = await post_form(
        web, token, "/admin/moderation/rules", {**RULE, "action": "reject", "rule_reason": ""}
    )
    assert no_reason.status_code == 422
    assert 'id="rule-new-rule-reason-error"' in no_reason.text

    custom = await post_form(
        web, token, "/admin/moderation", {**POLICY, "hold_threshold": "", "max_links": "-2"}
    )
    assert custom.status_code == 422
    assert 'id="policy-hold_threshold-error"' in custom.text
    not_number = await post_form(web, token, "/admin/moderation", {**POLICY, "max_links": "lots"})
    assert not_number.status_code == 422
    assert 'id="policy-max_links-error"' in not_number.text
    assert await web_components.services.content_rules.rules(OPERATOR) == []
    assert await audit_entries(web_components) == []


@pytest.mark.parametrize("who", ["moderator", "member"])
async def test_moderators_and_members_cannot_change_policy_or_rules(
    web: httpx.AsyncClient, web_components: Components, who: str
) -> None:
    staff = await make_staff(web_components)
    await web_components.services.content_rules.add_rule(
        OPERATOR,
        RuleChange(kind="keyword", pattern="torch", action="hold"),
    )
    (rule,) = await web_components.services.content_rules.rules(OPERATOR)
    signed = staff.moderator if who == "moderator" else staff.reporter
    token = await signed_in(web, web_components, signed)
    expected = 403 if who == "moderator" else 404
    assert (await web.get("/admin/moderation")).status_code == expected
    nav = (await web.get("/home")).text
    assert 'href="/admin/moderation"' not in nav
    for path, data in [
        ("/admin/moderation", POLICY),
        ("/admin/moderation/rules", RULE),
        (f"/admin/moderation/rules/{rule.id}", RULE),
        (f"/admin/moderation/rules/{rule.id}/delete", {}),
    ]:
        refused = await post_form(web, token, path, data)
        assert refused.status_code == expected, path
    assert len(await web_components.services.content_rules.rules(OPERATOR)) == 1
    assert (await web_components.services.content_rules.current(OPERATOR)).values[
        "moderation_threat_policy"
    ] == "off"
    # Only the operator's rule is in the log.
    assert [e.action for e in await audit_entries(web_components)] == ["content_rule.create"]


async def test_posts_without_the_csrf_token_are_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    await signed_in(web, web_components, staff.admin)
    for path, data in [("/admin/moderation", POLICY), ("/admin/moderation/rules", RULE)]:
        refused = await web.post(path, data=data)
        assert refused.status_code == 403, path
    assert await web_components.services.content_rules.rules(OPERATOR) == []
    assert await audit_entries(web_components) == []


async def test_markup_in_patterns_and_reasons_is_shown_as_text(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    token = await signed_in(web, web_components, staff.admin)
    added = await post_form(
        web, token, "/admin/moderation/rules", {**RULE, "pattern": XSS, "rule_reason": XSS}
    )
    assert added.status_code == 303
    page = (await web.get("/admin/moderation")).text
    assert XSS not in page
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in page

    held = await post(web_components, staff.member, f"quoting {XSS} here")
    assert await _review_state(web_components, held) == HELD
    item = (await web.get(f"/admin/reports/{held}")).text
    assert XSS not in item
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in item
