"""Held posts in the moderators' queue: shown with the post in context, the verdict and the
reasons; approved (then published to followers) or rejected (the author is told why)."""

from __future__ import annotations

import httpx
import pytest

from godwit.app import Components
from godwit.domain.content_review import HELD, REJECTED, Verdict, score_reasons
from godwit.domain.content_rules import RuleChange
from godwit.domain.roles import OPERATOR
from godwit.domain.threats import SeedExample, ThreatScore
from godwit.services.statuses import PostRequest
from godwit.web.admin_review_view import show_reason
from tests.services.moderation_support import audit_entries, post, report
from tests.web.admin_support import Staff, browser, make_staff, page_text, post_form, signed_in
from tests.web.social import settle


async def _setup(components: Components) -> tuple[Staff, int, int]:
    """Staff, a hold rule, a follower of the member, and a held reply; (staff, held, parent)."""
    staff = await make_staff(components)
    await components.services.content_rules.add_rule(
        OPERATOR,
        RuleChange(kind="keyword", pattern="sabotage", action="hold", reason="Sabotage talk"),
    )
    # The follower follows both, so the reply belongs in their home timeline once published.
    await components.services.graph.follow(staff.reporter.account_id, staff.member.account_id)
    await components.services.graph.follow(staff.reporter.account_id, staff.admin.account_id)
    parent = await post(components, staff.admin, "The new depot opens on Monday.")
    view = await components.services.statuses.create(
        staff.member.account_id,
        PostRequest(text="Time for sabotage at the depot.", in_reply_to_id=parent),
    )
    await settle(components)
    return staff, view.status.id, parent


async def _home_ids(web: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    timeline = await web.get("/api/v1/timelines/home", headers=headers)
    assert timeline.status_code == 200
    return [status["id"] for status in timeline.json()]


async def test_a_held_post_is_shown_in_the_queue_with_its_context_and_reasons(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff, held, parent = await _setup(web_components)
    report_id = await report(web_components, staff.reporter, staff.admin)
    await signed_in(web, web_components, staff.moderator)

    everything = page_text((await web.get("/admin/reports")).text)
    assert f"Held post #{held}" in everything
    assert f"Report #{report_id}" in everything
    assert "Community rule" in everything
    assert "Moderation pipeline" in everything
    held_tab = await web.get("/admin/reports?kind=held")
    assert 'aria-current="page">Held posts' in held_tab.text
    assert f"Held post #{held}" in page_text(held_tab.text)
    assert f"Report #{report_id}" not in page_text(held_tab.text)
    reports_tab = page_text((await web.get("/admin/reports?kind=reports")).text)
    assert f"Report #{report_id}" in reports_tab
    assert f"Held post #{held}" not in reports_tab

    page = await web.get(f"/admin/reports/{held}")
    assert page.status_code == 200
    text = page_text(page.text)
    assert f"Held post #{held} about @troll" in text
    assert "Verdict Hold for review" in text
    assert "Community rule Hold for review" in text
    assert "Sabotage talk" in text
    assert "Not scored" in text
    assert "of 24 h" in text  # the timer against the 24-hour target
    assert "Time for sabotage at the depot." in text
    assert "In reply to:" in text
    assert "The new depot opens on Monday." in text
    assert f'action="/admin/reports/{held}/approve"' in page.text
    assert f'action="/admin/reports/{held}/reject"' in page.text
    assert f'action="/admin/reports/{held}/resolve"' not in page.text
    assert 'href="/admin/moderation#content-rule-' not in page.text  # admins only
    # Still unseen by the follower.
    assert str(held) not in await _home_ids(web, staff.reporter.headers)
    assert str(parent) in await _home_ids(web, staff.reporter.headers)


async def test_a_moderator_approves_and_the_post_reaches_followers(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff, held, _parent = await _setup(web_components)
    token = await signed_in(web, web_components, staff.moderator)
    assert str(held) not in await _home_ids(web, staff.reporter.headers)
    approved = await post_form(
        web, token, f"/admin/reports/{held}/approve", {"note": "Talking about a board game."}
    )
    assert approved.status_code == 303
    assert approved.headers["location"] == f"/admin/reports/{held}?notice=post_approved"
    await settle(web_components)
    assert str(held) in await _home_ids(web, staff.reporter.headers)

    page = page_text((await web.get(f"/admin/reports/{held}")).text)
    assert "Approved by" in page
    assert "Talking about a board game." in page
    (entry,) = await audit_entries(web_components, action="status.approve")
    assert entry.actor_name == "@mona"
    assert entry.reason == "Talking about a board game."
    log = page_text((await web.get("/admin/audit-log")).text)
    assert "Approved held post" in log

    again = await post_form(web, token, f"/admin/reports/{held}/approve")
    assert again.status_code == 409
    assert "not waiting for review" in again.text


async def test_a_moderator_rejects_with_a_reason_and_the_author_is_told(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff, held, _parent = await _setup(web_components)
    token = await signed_in(web, web_components, staff.moderator)
    blank = await post_form(web, token, f"/admin/reports/{held}/reject", {"reason": "  "})
    assert blank.status_code == 422
    assert 'aria-describedby="held-reject-error held-reject-hint"' in blank.text

    rejected = await post_form(
        web, token, f"/admin/reports/{held}/reject", {"reason": "Calls for sabotage (rule 2)."}
    )
    assert rejected.status_code == 303
    assert rejected.headers["location"] == f"/admin/reports/{held}?notice=post_rejected"
    await settle(web_components)
    async with web_components.store.read() as tx:
        status = await tx.statuses.get(held)
    assert status is not None
    assert status.review_state == REJECTED
    assert str(held) not in await _home_ids(web, staff.reporter.headers)

    notifications = await web.get("/api/v1/notifications", headers=staff.member.headers)
    (warning,) = [n for n in notifications.json() if n["type"] == "moderation_warning"]
    assert "Calls for sabotage (rule 2)." in warning["moderation_warning"]["text"]
    (entry,) = await audit_entries(web_components, action="status.reject")
    assert entry.reason == "Calls for sabotage (rule 2)."

    # The author still sees the post, marked as not published.
    async with browser(web) as author:
        await signed_in(author, web_components, staff.member)
        own = await author.get(f"/@troll/{held}")
        assert own.status_code == 200
        assert "Not published:" in page_text(own.text)


async def test_the_author_sees_a_held_post_as_pending_review(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff, held, _parent = await _setup(web_components)
    await signed_in(web, web_components, staff.member)
    own = await web.get(f"/@troll/{held}")
    assert own.status_code == 200
    assert "Pending review: only you and the moderators can see this post." in page_text(own.text)
    async with browser(web) as follower:
        await signed_in(follower, web_components, staff.reporter)
        assert (await follower.get(f"/@troll/{held}")).status_code == 404


async def test_members_cannot_decide_and_posts_need_the_csrf_token(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff, held, _parent = await _setup(web_components)
    token = await signed_in(web, web_components, staff.reporter)
    for step, data in [("approve", {}), ("reject", {"reason": "no"})]:
        refused = await post_form(web, token, f"/admin/reports/{held}/{step}", data)
        assert refused.status_code == 404
    async with browser(web) as moderator:
        await signed_in(moderator, web_components, staff.moderator)
        for step, data in [("approve", {}), ("reject", {"reason": "no"})]:
            no_token = await moderator.post(f"/admin/reports/{held}/{step}", data=data)
            assert no_token.status_code == 403
    async with web_components.store.read() as tx:
        status = await tx.statuses.get(held)
    assert status is not None
    assert status.review_state == HELD
    assert await audit_entries(web_components, action="status.") == []


# The examples are the team's seed set (not members' text); one may hold quotes or "; ".
@pytest.mark.parametrize("quote", ["it's", 'say "now"; then run'])
def test_the_scorers_nearest_examples_are_listed_one_by_one(quote: str) -> None:
    score = ThreatScore(
        0.91,
        (
            SeedExample(f"I will hurt you, {quote}", True, "direct threat", 0.83),
            SeedExample("this traffic is killing me", False, "idiom", 0.41),
        ),
    )
    (reason,) = score_reasons(score, 0.6, None)
    assert reason.verdict is Verdict.HOLD
    shown = show_reason(reason)
    assert shown["source"] == "Threat score"
    assert shown["detail"] == "threat score 0.91 ≥ 0.60"
    assert [(e["threat"], e["category"], e["similarity"], e["text"]) for e in shown["nearest"]] == [
        (True, "direct threat", "0.83", f"I will hurt you, {quote}"),
        (False, "idiom", "0.41", "this traffic is killing me"),
    ]
