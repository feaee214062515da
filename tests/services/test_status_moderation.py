"""StatusModerationService: moderators delete posts for real and mark them sensitive."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from godwit.app import Components
from godwit.domain.errors import Forbidden, Invalid, NotFound
from godwit.domain.notifications import NotificationFilter
from godwit.domain.pagination import PageRequest
from godwit.storage.schema import statuses
from tests.services.moderation_support import audit_entries, make_staff, post, report


async def test_a_moderator_deletes_a_post_for_real(components: Components) -> None:
    staff = await make_staff(components)
    status_id = await post(components, staff.member, "a threat", visibility="private")
    report_id = await report(components, staff.reporter, staff.member)
    await components.services.status_moderation.delete(
        staff.as_moderator, status_id, reason="threats are not allowed", report_id=report_id
    )
    async with components.database.read() as conn:
        left = await conn.scalar(
            select(func.count()).select_from(statuses).where(statuses.c.id == status_id)
        )
    assert left == 0
    with pytest.raises(NotFound):
        await components.services.statuses.get(status_id, staff.member.account_id)
    author = await components.services.accounts.get(staff.member.account_id)
    assert author.statuses_count == 0

    page = await components.services.notifications.listing(
        staff.member.account_id, PageRequest(limit=10), NotificationFilter()
    )
    (view,) = page.items
    assert view.warning is not None
    assert view.warning.action == "delete_statuses"
    assert view.warning.status_ids == (status_id,)
    assert view.warning.text == "threats are not allowed"

    entries = await audit_entries(components)
    assert [e.action for e in entries] == ["status.delete", "queue.resolve"]
    deleted = entries[0]
    assert deleted.target_type == "status"
    assert deleted.target_id == status_id
    assert deleted.target_account_id == staff.member.account_id
    assert "a threat" not in str(deleted.details)  # the audit log keeps no deleted content
    item = await components.services.moderation_queue.get(staff.as_moderator, report_id)
    assert item.item.resolution == "delete_statuses"


async def test_marking_a_post_sensitive_without_notifying(components: Components) -> None:
    staff = await make_staff(components)
    status_id = await post(components, staff.member, "gore")
    await components.services.status_moderation.mark_sensitive(
        staff.as_moderator, status_id, reason="graphic", notify=False
    )
    view = await components.services.statuses.get(status_id, staff.reporter.account_id)
    assert view.status.sensitive
    page = await components.services.notifications.listing(
        staff.member.account_id, PageRequest(limit=10), NotificationFilter()
    )
    assert page.items == []
    moderated = await components.services.account_moderation.account(
        staff.as_moderator, staff.member.account_id
    )
    assert moderated.warnings[0].action == "mark_statuses_as_sensitive"  # kept for appeals
    assert [e.action for e in await audit_entries(components)] == ["status.sensitive"]


async def test_post_actions_need_the_right_role(components: Components) -> None:
    staff = await make_staff(components)
    members_post = await post(components, staff.member, "mine")
    admins_post = await post(components, staff.admin, "the rules")
    moderation = components.services.status_moderation
    with pytest.raises(Forbidden):
        await moderation.delete(staff.as_member, members_post)
    with pytest.raises(Forbidden):  # a moderator cannot delete an admin's post
        await moderation.delete(staff.as_moderator, admins_post)
    with pytest.raises(NotFound):
        await moderation.mark_sensitive(staff.as_moderator, 123456789)
    other_report = await report(components, staff.reporter, staff.admin)
    with pytest.raises(Invalid):  # the report is about someone else
        await moderation.delete(staff.as_moderator, members_post, report_id=other_report)
    await components.services.statuses.get(members_post, staff.reporter.account_id)
    assert await audit_entries(components) == []
