"""AccountModerationService: who may act, what each action does, and that the action, the
member's warning and the audit entry commit together (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from godwit.app import Components
from godwit.domain.account_actions import AccountAction
from godwit.domain.errors import Conflict, Forbidden, Invalid, NotFound
from godwit.domain.notifications import NotificationFilter
from godwit.domain.pagination import PageRequest
from godwit.domain.roles import OPERATOR, Actor
from godwit.domain.timelines import TimelineScope
from godwit.storage.schema import accounts, statuses
from tests.factories import make_member
from tests.services.moderation_support import (
    audit_count,
    audit_entries,
    make_staff,
    post,
    report,
)


async def _notifications(components: Components, account_id: int) -> list[object]:
    page = await components.services.notifications.listing(
        account_id, PageRequest(limit=40), NotificationFilter()
    )
    return list(page.items)


async def test_a_warning_reaches_the_member_and_the_audit_log(components: Components) -> None:
    staff = await make_staff(components)
    moderation = components.services.account_moderation
    result = await moderation.warn(staff.as_moderator, staff.member.account_id, "Be kind.")
    assert result.warnings[0].action == "none"
    assert result.warnings[0].text == "Be kind."

    page = await components.services.notifications.listing(
        staff.member.account_id, PageRequest(limit=40), NotificationFilter()
    )
    (view,) = page.items
    assert view.notification.type == "moderation_warning"
    assert view.account.id == staff.member.account_id  # its own sender, as in Mastodon
    assert view.warning is not None
    assert view.warning.text == "Be kind."

    (entry,) = await audit_entries(components)
    assert (entry.action, entry.actor_name, entry.target_name) == (
        "account.warn",
        "@mona",
        "@troll",
    )
    assert entry.actor_account_id == staff.moderator.account_id
    assert entry.target_account_id == staff.member.account_id
    assert entry.reason == "Be kind."


async def test_members_cannot_moderate_and_moderators_cannot_touch_staff(
    components: Components,
) -> None:
    staff = await make_staff(components)
    moderation = components.services.account_moderation
    with pytest.raises(Forbidden):
        await moderation.warn(staff.as_member, staff.member.account_id, "hi")
    with pytest.raises(Forbidden):  # not on an admin, not on a peer, not on themselves
        await moderation.suspend(staff.as_moderator, staff.admin.account_id)
    other = await make_member(components, "otto", role="moderator")
    with pytest.raises(Forbidden):
        await moderation.limit(staff.as_moderator, other.account_id)
    with pytest.raises(Forbidden):
        await moderation.warn(staff.as_moderator, staff.moderator.account_id, "me")
    with pytest.raises(Forbidden):  # roles are the admins'
        await moderation.set_role(staff.as_moderator, staff.member.account_id, "moderator")
    other_admin = await make_member(components, "abe", role="admin")
    with pytest.raises(Forbidden):  # and no admin demotes another admin; the operator may
        await moderation.set_role(staff.as_admin, other_admin.account_id, "member")
    assert await audit_count(components) == 0

    promoted = await moderation.set_role(staff.as_admin, staff.member.account_id, "moderator")
    assert promoted.state.role == "moderator"
    demoted = await moderation.set_role(OPERATOR, staff.admin.account_id, "member", "left")
    assert demoted.state.role == "member"
    with pytest.raises(Forbidden):  # a demoted admin's next action is refused at once
        await moderation.warn(staff.as_admin, staff.reporter.account_id, "x")
    actions = [(e.actor_name, e.action, e.details) for e in await audit_entries(components)]
    assert actions == [
        ("operator (command line)", "account.role", {"from": "admin", "to": "member"}),
        ("@ada", "account.role", {"from": "member", "to": "moderator"}),
    ]


async def test_suspension_hides_refuses_and_keeps_everything(components: Components) -> None:
    staff = await make_staff(components)
    account, user = await components.services.accounts.create_user(
        "vandal", "vandal@example.test", "a long enough password"
    )
    token_member = await make_member(components, "tokened")
    status_id = await post(components, token_member, "still here after suspension")
    moderation = components.services.account_moderation

    await moderation.suspend(staff.as_moderator, token_member.account_id, "spam")
    await moderation.suspend(staff.as_moderator, account.id, "spam")

    assert await components.services.oauth.authenticate(token_member.token) is None
    with pytest.raises(Forbidden, match="suspended"):
        await components.services.oauth.sign_in(
            "vandal",
            "a long enough password",
            ip="192.0.2.1",
            check_password=components.services.accounts.authenticate_password,
        )
    with pytest.raises(NotFound):  # the post is hidden from everyone…
        await components.services.statuses.get(status_id, staff.reporter.account_id)
    public = await components.services.timelines.public(
        None, PageRequest(limit=40), scope=TimelineScope.ALL
    )
    assert status_id not in [view.status.id for view in public]
    suspended = await components.services.accounts.get(token_member.account_id)
    assert suspended.suspended
    async with components.database.read() as conn:  # … and kept
        kept = await conn.scalar(
            select(func.count()).select_from(statuses).where(statuses.c.id == status_id)
        )
    assert kept == 1
    # Warned, but a suspended member reads no notifications: none is sent.
    assert await _notifications(components, token_member.account_id) == []

    restored = await moderation.unsuspend(staff.as_moderator, token_member.account_id, "appeal")
    assert restored.state.suspended_at is None
    view = await components.services.statuses.get(status_id, staff.reporter.account_id)
    assert view.status.text == "still here after suspension"
    # The old tokens stay revoked: the member signs in again.
    assert await components.services.oauth.authenticate(token_member.token) is None
    with pytest.raises(Conflict):
        await moderation.unsuspend(staff.as_moderator, token_member.account_id)
    assert [e.action for e in await audit_entries(components)] == [
        "account.unsuspend",
        "account.suspend",
        "account.suspend",
    ]
    assert user.account_id == account.id


async def test_unsuspending_after_the_grace_period_is_refused(components: Components) -> None:
    staff = await make_staff(components)
    moderation = components.services.account_moderation
    await moderation.suspend(staff.as_moderator, staff.member.account_id)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=31)
    async with components.database.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == staff.member.account_id)
            .values(suspended_at=long_ago)
        )
    with pytest.raises(Forbidden, match="grace period"):
        await moderation.unsuspend(staff.as_moderator, staff.member.account_id)


async def test_limit_hides_public_posts_from_non_followers_only(components: Components) -> None:
    staff = await make_staff(components)
    follower = await make_member(components, "fan")
    await components.services.graph.follow(follower.account_id, staff.member.account_id)
    status_id = await post(components, staff.member, "loud opinion")
    moderation = components.services.account_moderation
    limited = await moderation.limit(staff.as_moderator, staff.member.account_id, "too loud")
    assert limited.account.silenced

    async def public_ids(viewer: int | None) -> list[int]:
        views = await components.services.timelines.public(
            viewer, PageRequest(limit=40), scope=TimelineScope.LOCAL
        )
        return [view.status.id for view in views]

    assert status_id not in await public_ids(None)
    assert status_id not in await public_ids(staff.reporter.account_id)
    assert status_id in await public_ids(follower.account_id)
    assert status_id in await public_ids(staff.member.account_id)
    # Still readable by link: limiting is about reach, not speech.
    await components.services.statuses.get(status_id, staff.reporter.account_id)

    # Notifications from a limited account to a stranger are filtered (the default policy).
    await components.services.graph.follow(staff.member.account_id, staff.reporter.account_id)
    page = await components.services.notifications.listing(
        staff.reporter.account_id, PageRequest(limit=40), NotificationFilter()
    )
    assert [v.notification.type for v in page.items] == []

    await moderation.unlimit(staff.as_moderator, staff.member.account_id, "calmer now")
    assert status_id in await public_ids(None)
    with pytest.raises(Conflict):
        await moderation.unlimit(staff.as_moderator, staff.member.account_id)


async def test_sensitive_forces_posts_behind_a_warning(components: Components) -> None:
    staff = await make_staff(components)
    status_id = await post(components, staff.member, "graphic")
    moderation = components.services.account_moderation
    await moderation.sensitive(staff.as_moderator, staff.member.account_id, "gore")
    view = await components.services.statuses.get(status_id, staff.reporter.account_id)
    assert view.status.sensitive
    await moderation.unsensitive(staff.as_moderator, staff.member.account_id)
    view = await components.services.statuses.get(status_id, staff.reporter.account_id)
    assert not view.status.sensitive


async def test_disable_refuses_the_token_with_403_reason(components: Components) -> None:
    staff = await make_staff(components)
    moderation = components.services.account_moderation
    await moderation.disable(staff.as_moderator, staff.member.account_id, "freeze")
    credentials = await components.services.oauth.authenticate(staff.member.token)
    assert credentials is not None
    assert credentials.refusal == "Your login is currently disabled"
    await moderation.enable(staff.as_moderator, staff.member.account_id)
    credentials = await components.services.oauth.authenticate(staff.member.token)
    assert credentials is not None
    assert credentials.refusal is None


async def test_a_failing_action_writes_nothing(components: Components) -> None:
    staff = await make_staff(components)
    other = await make_member(components, "innocent")
    report_id = await report(components, staff.reporter, other)
    moderation = components.services.account_moderation
    with pytest.raises(Invalid):  # the report is about someone else: all rolled back
        await moderation.act(
            staff.as_moderator,
            staff.member.account_id,
            AccountAction.SUSPEND,
            text="x",
            report_id=report_id,
        )
    unchanged = await moderation.account(staff.as_moderator, staff.member.account_id)
    assert unchanged.state.suspended_at is None
    assert unchanged.warnings == ()
    assert await audit_count(components) == 0
    with pytest.raises(Invalid):  # an over-long reason is refused before anything is done
        await moderation.warn(staff.as_moderator, staff.member.account_id, "x" * 5000)


async def test_an_action_about_a_report_resolves_it(components: Components) -> None:
    staff = await make_staff(components)
    report_id = await report(components, staff.reporter, staff.member)
    await components.services.account_moderation.act(
        staff.as_moderator,
        staff.member.account_id,
        AccountAction.SILENCE,
        text="limited for harassment",
        report_id=report_id,
    )
    entry = await components.services.moderation_queue.get(staff.as_moderator, report_id)
    assert entry.item.state == "resolved"
    assert entry.item.resolution == "silence"
    assert entry.item.resolved_by_account_id == staff.moderator.account_id
    assert [e.action for e in await audit_entries(components)] == [
        "account.limit",
        "queue.resolve",
    ]


async def test_registration_approvals(components: Components) -> None:
    staff = await make_staff(components)
    async with components.store.write() as tx:
        await tx.instance.set_setting("registration_mode", "approval")
    pending = await make_member(components, "newbie")
    rejected = await make_member(components, "spammer")
    from godwit.storage.schema import users

    async with components.database.write() as conn:
        await conn.execute(
            update(users)
            .where(users.c.account_id.in_([pending.account_id, rejected.account_id]))
            .values(approved=False, signup_reason="I like birds")
        )
    credentials = await components.services.oauth.authenticate(pending.token)
    assert credentials is not None
    assert credentials.refusal == "Your login is currently pending approval"

    moderation = components.services.account_moderation
    waiting = await moderation.pending(staff.as_moderator, PageRequest(limit=10))
    assert {m.account.username for m in waiting} == {"newbie", "spammer"}
    assert waiting[0].state.signup_reason == "I like birds"
    with pytest.raises(Forbidden):
        await moderation.pending(staff.as_member, PageRequest(limit=10))

    approved = await moderation.approve(staff.as_moderator, pending.account_id, "ok")
    assert approved.state.approved
    credentials = await components.services.oauth.authenticate(pending.token)
    assert credentials is not None
    assert credentials.refusal is None
    with pytest.raises(Conflict):
        await moderation.approve(staff.as_moderator, pending.account_id)

    await moderation.reject(staff.as_moderator, rejected.account_id, "spam")
    with pytest.raises(NotFound):
        await components.services.accounts.get(rejected.account_id)
    assert await components.services.oauth.authenticate(rejected.token) is None
    entries = await audit_entries(components)
    assert [(e.action, e.target_name) for e in entries] == [
        ("account.reject", "@spammer"),
        ("account.approve", "@newbie"),
    ]


async def test_moderators_list_and_search_accounts(components: Components) -> None:
    staff = await make_staff(components)
    moderation = components.services.account_moderation
    await moderation.limit(staff.as_moderator, staff.member.account_id)
    found = await moderation.accounts(staff.as_moderator, PageRequest(limit=10), query="tro")
    assert [m.account.username for m in found] == ["troll"]
    found = await moderation.accounts(staff.as_moderator, PageRequest(limit=10), status="silenced")
    assert [m.account.username for m in found] == ["troll"]
    found = await moderation.accounts(staff.as_moderator, PageRequest(limit=10), status="staff")
    assert {m.account.username for m in found} == {"ada", "mona"}
    by_email = await moderation.accounts(
        staff.as_moderator, PageRequest(limit=10), query="rita@example"
    )
    assert [m.state.email for m in by_email] == ["rita@example.test"]
    with pytest.raises(Invalid):
        await moderation.accounts(staff.as_moderator, PageRequest(limit=10), status="odd")
    with pytest.raises(Forbidden):
        await moderation.accounts(Actor(staff.member.account_id), PageRequest(limit=10))


async def test_moderators_review_an_accounts_posts_also_when_suspended(
    components: Components,
) -> None:
    staff = await make_staff(components)
    moderation = components.services.account_moderation
    public = await post(components, staff.member, "out loud")
    followers = await post(components, staff.member, "for my followers", visibility="private")
    await post(components, staff.member, "@rita between us", visibility="direct")
    await moderation.suspend(staff.as_moderator, staff.member.account_id, "threats")
    shown = await moderation.statuses(
        staff.as_moderator, staff.member.account_id, PageRequest(limit=10)
    )
    # Newest first; private mentions stay out (they reach moderators only when reported).
    assert [view.status.id for view in shown] == [followers, public]
    with pytest.raises(Forbidden):
        await moderation.statuses(
            Actor(staff.reporter.account_id), staff.member.account_id, PageRequest(limit=10)
        )
    with pytest.raises(NotFound):
        await moderation.statuses(staff.as_moderator, 12345, PageRequest(limit=10))


async def test_the_audit_entry_of_a_suspension_says_the_member_was_not_notified(
    components: Components,
) -> None:
    staff = await make_staff(components)
    await components.services.account_moderation.act(
        staff.as_moderator, staff.member.account_id, AccountAction.SUSPEND, text="spam"
    )
    (entry,) = await audit_entries(components)
    assert entry.details["notified"] is False  # a suspended member cannot read it
    assert await _notifications(components, staff.member.account_id) == []
