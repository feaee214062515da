"""The moderators' queue and report pages: who may see them, the evidence they show, the
workflow (assign, resolve, reopen) and the actions taken from a report."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from sqlalchemy import update

from godwit.app import Components
from godwit.domain.errors import NotFound
from godwit.services.reports import ReportRequest
from godwit.services.statuses import PostRequest
from godwit.storage.schema import accounts, moderation_queue
from godwit.web import admin_reports
from tests.services.moderation_support import audit_entries, post, report
from tests.web.admin_support import (
    ADMIN_PAGES,
    ADMIN_POSTS,
    audit_rows,
    browser,
    make_staff,
    page_text,
    post_form,
    signed_in,
)
from tests.web.pages import csrf_token


async def test_members_and_visitors_are_refused_every_admin_page_and_form(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    status_id = await post(web_components, staff.member, "hello")
    report_id = await report(web_components, staff.reporter, staff.member, (status_id,))
    ids = {
        "report": report_id,
        "account": staff.member.account_id,
        "status": status_id,
        "rule": 1,
    }
    async with browser(web) as visitor:
        for path in ADMIN_PAGES:
            answer = await visitor.get(path.format(**ids))
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith("/auth/sign_in?next=")

    token = await signed_in(web, web_components, staff.reporter)
    for path in ADMIN_PAGES:
        answer = await web.get(path.format(**ids))
        assert answer.status_code == 404, path
        assert "Moderation" not in answer.text  # the staff link stays hidden too
    for path in ADMIN_POSTS:
        answer = await post_form(web, token, path.format(**ids), {"reason": "x", "type": "none"})
        assert answer.status_code == 404, path
    # Nothing happened: the report is open, the member untouched, the log empty.
    assert await audit_entries(web_components) == []
    assert (await web_components.services.accounts.get(staff.member.account_id)).suspended is False
    await web_components.services.statuses.get(status_id, staff.member.account_id)


async def test_the_queue_shows_open_items_with_their_age_and_filters(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    fresh = await report(web_components, staff.reporter, staff.member)
    old = await report(web_components, staff.reporter, staff.admin)
    async with web_components.database.write() as conn:
        await conn.execute(
            update(moderation_queue)
            .where(moderation_queue.c.id == old)
            .values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=30))
        )
    await signed_in(web, web_components, staff.moderator)

    queue = await web.get("/admin/reports")
    assert queue.status_code == 200
    text = page_text(queue.text)
    assert f"Report #{fresh}" in text
    assert f"Report #{old}" in text
    assert "@troll" in text
    assert "@rita" in text
    assert "@ada" in text
    assert "0 min of 24 h" in text
    assert "Overdue: 30 h: over the 24 h target" in text
    assert queue.text.count("admin-table__row--overdue") == 1
    assert 'aria-current="page">Reports' in queue.text

    await web_components.services.moderation_queue.resolve(staff.as_admin, fresh)
    assert f"Report #{fresh}" not in page_text((await web.get("/admin/reports")).text)
    resolved = page_text((await web.get("/admin/reports?state=resolved")).text)
    assert f"Report #{fresh}" in resolved
    assert f"Report #{old}" not in resolved
    everything = page_text((await web.get("/admin/reports?state=all")).text)
    assert f"Report #{fresh}" in everything
    assert f"Report #{old}" in everything

    await web_components.services.moderation_queue.assign_to_self(staff.as_moderator, old)
    mine = page_text((await web.get("/admin/reports?assigned=me")).text)
    assert f"Report #{old}" in mine
    unassigned = page_text((await web.get("/admin/reports?assigned=unassigned")).text)
    assert f"Report #{old}" not in unassigned
    about = page_text(
        (await web.get(f"/admin/reports?state=all&account={staff.admin.account_id}")).text
    )
    assert f"Report #{old}" in about
    assert f"Report #{fresh}" not in about


async def test_the_queue_pages_to_older_items(
    web: httpx.AsyncClient, web_components: Components, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = await make_staff(web_components)
    first = await report(web_components, staff.reporter, staff.member)
    second = await report(web_components, staff.reporter, staff.member)
    await signed_in(web, web_components, staff.moderator)
    monkeypatch.setattr(admin_reports, "PAGE_SIZE", 1)
    newest = await web.get("/admin/reports")
    assert f"#{second}" in newest.text
    assert f"#{first}" not in newest.text
    older = await web.get(f"/admin/reports?max_id={second}")
    assert f"#{first}" in older.text
    assert f"#{second}" not in older.text
    assert f'href="/admin/reports?max_id={second}"' in newest.text.replace("&amp;", "&")


async def test_a_report_shows_posts_moderators_could_not_otherwise_see(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    opener = await post(web_components, staff.reporter, "What do you think, @troll?")
    reply = await post(
        web_components,
        staff.member,
        "@rita only you can read this insult",
        visibility="direct",
        in_reply_to_id=opener,
    )
    report_id = await report(web_components, staff.reporter, staff.member, (reply,))
    await signed_in(web, web_components, staff.moderator)
    # The moderator may not read the private mention anywhere else...
    try:
        await web_components.services.statuses.get(reply, staff.moderator.account_id)
        raise AssertionError("a private mention was visible to an outsider")
    except NotFound:
        pass
    # ...but the report shows it, in context.
    page = await web.get(f"/admin/reports/{report_id}")
    assert page.status_code == 200
    text = page_text(page.text)
    assert "only you can read this insult" in text
    assert "In reply to:" in text
    assert "What do you think" in text
    assert "rude" in text  # the reporter's comment
    assert f'action="/admin/statuses/{reply}/delete"' in page.text
    assert f'formaction="/admin/statuses/{reply}/sensitive"' in page.text


async def test_assign_resolve_and_reopen_from_the_report_page(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    report_id = await report(web_components, staff.reporter, staff.member)
    token = await signed_in(web, web_components, staff.moderator)
    base = f"/admin/reports/{report_id}"

    assigned = await post_form(web, token, f"{base}/assign")
    assert assigned.status_code == 303
    assert assigned.headers["location"] == f"{base}?notice=report_assigned"
    page = await web.get(assigned.headers["location"])
    assert "Unassign me" in page.text
    assert "The item is assigned to you." in page.text

    resolved = await post_form(
        web, token, f"{base}/resolve", {"action_taken": "none", "note": "Not a violation."}
    )
    assert resolved.status_code == 303
    text = page_text((await web.get(base)).text)
    assert "Resolved" in text
    assert "Dismissed: no action needed" in text
    assert "Not a violation." in text

    # Resolving twice (another moderator was quicker) says so on the page.
    again = await post_form(web, token, f"{base}/resolve", {"note": "me too"})
    assert again.status_code == 409
    assert "already resolved" in again.text
    assert 'id="workflow-error"' in again.text
    assert 'aria-describedby="workflow-error">me too</textarea>' in again.text
    reopened = await post_form(web, token, f"{base}/reopen", {"note": "New evidence."})
    assert reopened.status_code == 303
    assert "Open" in page_text((await web.get(base)).text)

    actions = [entry.action for entry in await audit_entries(web_components)]
    assert actions == ["queue.reopen", "queue.resolve", "queue.assign"]


async def test_a_suspension_from_a_report_ends_every_session_and_is_logged(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    account, _user = await web_components.services.accounts.create_user(
        "sam", "sam@example.test", "correct horse battery"
    )
    status_id = (
        await web_components.services.statuses.create(account.id, PostRequest(text="spam spam"))
    ).status.id
    filed = await web_components.services.reports.file(
        staff.reporter.account_id,
        ReportRequest(account_id=account.id, status_ids=(status_id,), comment="spam"),
    )
    report_id = filed.report.id

    async with browser(web) as member:
        signed = await member.post(
            "/auth/sign_in",
            data={
                "authenticity_token": await csrf_token(member),
                "login": "sam",
                "password": "correct horse battery",
            },
        )
        assert signed.status_code == 303
        assert (await member.get("/home")).status_code == 200
        api_token = await web_components.services.web_sessions.start(_user.id)
        bearer = {"Authorization": f"Bearer {api_token}"}
        assert (
            await member.get("/api/v1/accounts/verify_credentials", headers=bearer)
        ).status_code == 200

        token = await signed_in(web, web_components, staff.moderator)
        acted = await post_form(
            web,
            token,
            f"/admin/accounts/{account.id}/action",
            {
                "type": "suspend",
                "reason": "Spam, again and again.",
                "notify": "1",
                "report_id": str(report_id),
                "resolve": "1",
                "return_to": f"/admin/reports/{report_id}",
            },
        )
        assert acted.status_code == 303
        assert acted.headers["location"] == f"/admin/reports/{report_id}?notice=action_taken"

        # The member's browser session is over, their API token refused, sign-in refused.
        assert (await member.get("/home")).status_code == 303
        refused = await member.get("/api/v1/accounts/verify_credentials", headers=bearer)
        assert refused.status_code == 401
        again = await member.post(
            "/auth/sign_in",
            data={
                "authenticity_token": await csrf_token(member),
                "login": "sam",
                "password": "correct horse battery",
            },
        )
        assert again.status_code in (401, 403)
        assert 'class="error"' in again.text
        assert "godwit_session" not in again.headers.get("set-cookie", "")

    text = page_text((await web.get(f"/admin/reports/{report_id}")).text)
    assert "Account suspended by" in text
    assert "Suspended" in text
    suspended, resolved = audit_rows((await web.get("/admin/audit-log")).text)
    for part in ("@mona", "Suspended", "account.suspend", "@sam", "Spam, again and again."):
        assert part in suspended
    assert "Member notified no" in suspended  # a suspended member cannot read it
    for part in ("@mona", "Resolved", "Outcome Account suspended", f"report {report_id}"):
        assert part in resolved


async def test_a_warning_reaches_the_member_with_its_reason(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    report_id = await report(web_components, staff.reporter, staff.member)
    token = await signed_in(web, web_components, staff.moderator)
    acted = await post_form(
        web,
        token,
        f"/admin/accounts/{staff.member.account_id}/action",
        {
            "type": "none",
            "reason": "Please keep it civil (rule 1).",
            "notify": "1",
            "report_id": str(report_id),
            "return_to": f"/admin/reports/{report_id}",
        },
    )
    assert acted.status_code == 303
    notifications = await web.get("/api/v1/notifications", headers=staff.member.headers)
    (warning,) = [n for n in notifications.json() if n["type"] == "moderation_warning"]
    assert warning["moderation_warning"]["text"] == "Please keep it civil (rule 1)."
    assert warning["moderation_warning"]["action"] == "none"
    # Without "resolve" the report stays open.
    assert (await web_components.services.moderation_queue.get(staff.as_admin, report_id)).item.open


async def test_deleting_a_reported_post_resolves_the_report_and_tells_the_author(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    status_id = await post(web_components, staff.member, "something nasty")
    report_id = await report(web_components, staff.reporter, staff.member, (status_id,))
    token = await signed_in(web, web_components, staff.moderator)
    deleted = await post_form(
        web,
        token,
        f"/admin/statuses/{status_id}/delete",
        {
            "reason": "Harassment.",
            "notify": "1",
            "resolve": "1",
            "report_id": str(report_id),
            "return_to": f"/admin/reports/{report_id}",
        },
    )
    assert deleted.status_code == 303
    try:
        await web_components.services.statuses.get(status_id, staff.member.account_id)
        raise AssertionError("the post is still there")
    except NotFound:
        pass
    entry = await web_components.services.moderation_queue.get(staff.as_admin, report_id)
    assert entry.item.resolution == "delete_statuses"
    notifications = (await web.get("/api/v1/notifications", headers=staff.member.headers)).json()
    assert [n["moderation_warning"]["text"] for n in notifications] == ["Harassment."]
    page = page_text((await web.get(f"/admin/reports/{report_id}")).text)
    assert "No posts are attached, or the reported posts were deleted." in page


async def test_an_action_without_a_reason_is_refused_on_the_page_it_came_from(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    status_id = await post(web_components, staff.member, "hm")
    report_id = await report(web_components, staff.reporter, staff.member, (status_id,))
    token = await signed_in(web, web_components, staff.moderator)
    refused = await post_form(
        web,
        token,
        f"/admin/accounts/{staff.member.account_id}/action",
        {
            "type": "silence",
            "reason": "   ",
            "report_id": str(report_id),
            "resolve": "1",
            "return_to": f"/admin/reports/{report_id}",
        },
    )
    assert refused.status_code == 422
    assert "Give a reason" in refused.text
    assert 'aria-describedby="account-error account-hint"' in refused.text
    assert 'id="action-silence" name="type" value="silence" checked' in refused.text
    post_refused = await post_form(
        web,
        token,
        f"/admin/statuses/{status_id}/sensitive",
        {"reason": "", "return_to": f"/admin/reports/{report_id}"},
    )
    assert post_refused.status_code == 422
    assert f'id="status-{status_id}-error"' in post_refused.text
    assert await audit_entries(web_components) == []
    assert not (await web_components.services.accounts.get(staff.member.account_id)).silenced


async def test_forms_without_a_csrf_token_are_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    report_id = await report(web_components, staff.reporter, staff.member)
    await signed_in(web, web_components, staff.moderator)
    for path, data in (
        (f"/admin/accounts/{staff.member.account_id}/action", {"type": "suspend", "reason": "x"}),
        (f"/admin/reports/{report_id}/resolve", {}),
        (f"/admin/reports/{report_id}/assign", {}),
    ):
        answer = await web.post(path, data=data)
        assert answer.status_code == 403, path
        forged = await web.post(path, data={**data, "authenticity_token": "forged"})
        assert forged.status_code == 403, path
    assert await audit_entries(web_components) == []
    assert not (await web_components.services.accounts.get(staff.member.account_id)).suspended


async def test_user_text_on_the_staff_pages_is_inert(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    async with web_components.database.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == staff.member.account_id)
            .values(display_name=payload)
        )
    filed = await web_components.services.reports.file(
        staff.reporter.account_id,
        ReportRequest(account_id=staff.member.account_id, comment=payload),
    )
    await signed_in(web, web_components, staff.moderator)
    for path in (
        "/admin/reports",
        f"/admin/reports/{filed.report.id}",
        "/admin/accounts",
        f"/admin/accounts/{staff.member.account_id}",
    ):
        page = await web.get(path)
        assert page.status_code == 200, path
        assert "<script>alert(1)" not in page.text, path
        assert "<img src=x" not in page.text, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, path


async def test_unknown_ids_are_not_found(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    token = await signed_in(web, web_components, staff.moderator)
    for path in ("/admin/reports/12345", "/admin/reports/nope", "/admin/accounts/12345"):
        assert (await web.get(path)).status_code == 404, path
    for path in (
        "/admin/reports/12345/assign",
        "/admin/accounts/12345/action",
        "/admin/statuses/12345/delete",
    ):
        answer = await post_form(web, token, path, {"type": "none", "reason": "why"})
        assert answer.status_code == 404, path
