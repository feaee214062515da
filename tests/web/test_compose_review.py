"""Posting from the browser through the moderation pipeline: a held post says so, a rule's
rejection comes back beside the text with the draft kept."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from godwit.app import Components
from godwit.domain.content_review import CommunityRule, RuleKind, Verdict
from godwit.domain.ids import new_id
from tests.web.test_compose import form_fields, member_signed_in


async def _rule(components: Components, pattern: str, action: Verdict) -> None:
    async with components.store.write() as tx:
        await tx.content_review.add_rule(
            CommunityRule(new_id(), RuleKind.KEYWORD, pattern, action, f"No {pattern} here."),
            dt.datetime.now(dt.UTC),
        )


async def test_a_held_post_tells_its_author_and_shows_on_their_profile(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await member_signed_in(web, web_components, "alice")
    await _rule(web_components, "giveaway", Verdict.HOLD)
    sent = await web.post(
        "/web/statuses", data={**(await form_fields(web)), "status": "Big giveaway today"}
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/home?notice=held_for_review"
    page = await web.get(sent.headers["location"])
    assert "waiting for a moderator" in page.text
    profile = await web.get("/@alice")
    assert "Big giveaway today" in profile.text
    assert "Pending review" in profile.text


async def test_a_rejected_post_comes_back_with_the_reason_and_the_draft(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await member_signed_in(web, web_components, "bob")
    await _rule(web_components, "spam link", Verdict.REJECT)
    sent = await web.post(
        "/web/statuses", data={**(await form_fields(web)), "status": "my spam link is great"}
    )
    assert sent.status_code == 422
    assert "No spam link here." in sent.text
    assert "my spam link is great" in sent.text  # nothing typed is lost


async def test_the_page_after_posting_shows_the_new_post_in_home(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await member_signed_in(web, web_components, "carol")
    sent = await web.post(
        "/web/statuses", data={**(await form_fields(web)), "status": "First light on the mudflats"}
    )
    assert sent.headers["location"] == "/home?notice=posted"
    # No job has run yet: the author's own home entry is written with the post.
    page = await web.get(sent.headers["location"])
    assert "First light on the mudflats" in page.text


async def test_with_the_scorer_on_the_author_is_told_the_post_is_being_checked(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    """The threat policy on: a new post is pending until the review job decides."""
    await member_signed_in(web, web_components, "dana")
    async with web_components.store.write() as tx:
        await tx.instance.set_setting("moderation_threat_policy", "standard")
    if web_components.threat_scorer is None:
        pytest.skip("the moderation extra is not installed: posts publish at once")
    sent = await web.post(
        "/web/statuses", data={**(await form_fields(web)), "status": "Bread rising nicely"}
    )
    assert sent.headers["location"] == "/home?notice=posted_pending"
    assert "automatic check" in (await web.get(sent.headers["location"])).text
