"""ModerationQueueService: reports land in the queue; moderators list them with their
evidence (in a bounded number of queries), assign, resolve and reopen them."""

from __future__ import annotations

import pytest

from godwit.app import Components
from godwit.domain.errors import Conflict, Forbidden, Invalid, NotFound
from godwit.domain.mod_queue import QueueQuery
from godwit.domain.pagination import PageRequest
from godwit.domain.roles import Actor
from tests.factories import make_member
from tests.services.moderation_support import audit_entries, make_staff, post, report
from tests.support.query_count import counting_statements, shapes

PAGE = PageRequest(limit=40)


async def test_a_report_is_an_open_item_with_its_posts_in_context(components: Components) -> None:
    staff = await make_staff(components)
    parent = await post(components, staff.reporter, "I think cats are great")
    reply = await post(
        components, staff.member, "@rita you idiot", in_reply_to_id=parent, visibility="private"
    )
    report_id = await report(components, staff.reporter, staff.member, (reply,))

    (entry,) = await components.services.moderation_queue.listing(
        staff.as_moderator, QueueQuery(), PAGE
    )
    assert entry.item.id == report_id
    assert (entry.item.kind, entry.item.state) == ("report", "open")
    assert entry.report is not None
    assert entry.report.comment == "rude"
    assert entry.reporter is not None
    assert entry.reporter.username == "rita"
    assert entry.target.username == "troll"
    # A followers-only post is shown to the moderator, with the post it answers.
    assert [view.status.id for view in entry.statuses] == [reply]
    assert [view.status.id for view in entry.parents] == [parent]
    with pytest.raises(Forbidden):
        await components.services.moderation_queue.listing(staff.as_member, QueueQuery(), PAGE)


async def test_assign_resolve_reopen(components: Components) -> None:
    staff = await make_staff(components)
    report_id = await report(components, staff.reporter, staff.member)
    queue = components.services.moderation_queue

    assigned = await queue.assign_to_self(staff.as_moderator, report_id)
    assert assigned.assignee is not None
    assert assigned.assignee.username == "mona"
    mine = await queue.listing(
        staff.as_moderator, QueueQuery(assigned_account_id=staff.moderator.account_id), PAGE
    )
    assert [e.item.id for e in mine] == [report_id]
    assert await queue.listing(staff.as_moderator, QueueQuery(unassigned=True), PAGE) == []
    with pytest.raises(Invalid):  # only staff can be assigned
        await queue.assign(staff.as_admin, report_id, staff.reporter.account_id)
    unassigned = await queue.unassign(staff.as_moderator, report_id)
    assert unassigned.assignee is None

    resolved = await queue.resolve(staff.as_moderator, report_id, note="not a violation")
    assert resolved.item.state == "resolved"
    assert (resolved.item.resolution, resolved.item.resolution_note) == (
        "none",
        "not a violation",
    )
    assert resolved.report is not None
    assert resolved.report.action_taken
    assert await queue.listing(staff.as_moderator, QueueQuery(), PAGE) == []
    done = await queue.listing(staff.as_moderator, QueueQuery(state="resolved"), PAGE)
    assert [e.item.id for e in done] == [report_id]
    with pytest.raises(Conflict):
        await queue.resolve(staff.as_moderator, report_id)

    reopened = await queue.reopen(staff.as_admin, report_id, note="new evidence")
    assert reopened.item.state == "open"
    assert reopened.item.resolution is None
    with pytest.raises(Conflict):
        await queue.reopen(staff.as_admin, report_id)
    assert await queue.open_count(staff.as_moderator) == 1
    assert [(e.action, e.actor_name) for e in await audit_entries(components)] == [
        ("queue.reopen", "@ada"),
        ("queue.resolve", "@mona"),
        ("queue.unassign", "@mona"),
        ("queue.assign", "@mona"),
    ]
    with pytest.raises(Invalid):
        await queue.resolve(staff.as_moderator, report_id, action_taken="banish")
    with pytest.raises(NotFound):
        await queue.resolve(staff.as_moderator, 987654321)


async def test_filters_by_target_and_reporter(components: Components) -> None:
    staff = await make_staff(components)
    other = await make_member(components, "other")
    about_troll = await report(components, staff.reporter, staff.member)
    about_other = await report(components, staff.reporter, other)
    by_troll = await report(components, staff.member, other)
    queue = components.services.moderation_queue

    async def ids(query: QueueQuery) -> list[int]:
        return [e.item.id for e in await queue.listing(staff.as_moderator, query, PAGE)]

    assert await ids(QueueQuery()) == [by_troll, about_other, about_troll]
    assert await ids(QueueQuery(target_account_id=other.account_id)) == [by_troll, about_other]
    assert await ids(QueueQuery(reporter_account_id=staff.member.account_id)) == [by_troll]
    assert await ids(QueueQuery(state=None)) == [by_troll, about_other, about_troll]
    paged = await queue.listing(staff.as_moderator, QueueQuery(), PageRequest(limit=1))
    older = await queue.listing(
        staff.as_moderator, QueueQuery(), PageRequest(limit=5, max_id=paged[0].item.id)
    )
    assert [e.item.id for e in older] == [about_other, about_troll]
    with pytest.raises(Invalid):
        await ids(QueueQuery(state="closed"))


async def test_listing_runs_the_same_queries_for_one_item_or_many(
    components: Components,
) -> None:
    staff = await make_staff(components)
    moderator = Actor(staff.moderator.account_id)
    queue = components.services.moderation_queue

    async def file(count: int) -> None:
        for n in range(count):
            target = await make_member(components, f"target{n}_{count}")
            first = await post(components, target, f"first {n}")
            second = await post(components, target, f"second {n}", in_reply_to_id=first)
            await report(components, staff.reporter, target, (first, second))

    await file(1)
    await components.job_runner.stop()  # nothing else may query while counting
    with counting_statements() as few:
        assert len(await queue.listing(moderator, QueueQuery(), PAGE)) == 1
    await file(6)
    with counting_statements() as many:
        entries = await queue.listing(moderator, QueueQuery(), PAGE)
    assert len(entries) == 7
    assert all(len(entry.statuses) == 2 for entry in entries)
    assert len(many) == len(few), shapes(many)


async def test_a_moderator_never_closes_or_reopens_a_report_about_themselves(
    components: Components,
) -> None:
    staff = await make_staff(components)
    about_mona = await report(components, staff.reporter, staff.moderator)
    queue = components.services.moderation_queue
    with pytest.raises(Forbidden):
        await queue.resolve(staff.as_moderator, about_mona, action_taken="none")
    resolved = await queue.resolve(staff.as_admin, about_mona, action_taken="none")
    assert not resolved.item.open
    with pytest.raises(Forbidden):
        await queue.reopen(staff.as_moderator, about_mona)
