"""The audit log page: who did what to which target, when and why; filters, pages; and
nothing on it (or anywhere) that edits an entry."""

from __future__ import annotations

import re

import httpx
import pytest

from godwit.app import Components
from godwit.web import admin_audit
from tests.services.moderation_support import post
from tests.web.admin_support import audit_rows, make_staff, post_form, signed_in


async def test_the_log_shows_who_what_target_when_and_why(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    moderation = web_components.services.account_moderation
    await moderation.warn(staff.as_moderator, staff.member.account_id, "Mind the rules.")
    status_id = await post(web_components, staff.member, "to delete")
    await web_components.services.status_moderation.delete(
        staff.as_admin, status_id, reason="Doxxing."
    )
    await signed_in(web, web_components, staff.moderator)

    page = await web.get("/admin/audit-log")
    assert page.status_code == 200
    assert 'aria-current="page">Audit log' in page.text
    deleted, warned = audit_rows(page.text)
    for part in ("@ada", "Deleted post", "status.delete", "Doxxing.", "Member notified yes"):
        assert part in deleted
    for part in ("@mona", "Warned", "account.warn", "@troll", "Mind the rules."):
        assert part in warned
    assert re.search(r"\d{1,2} \w+ \d{4}, \d\d:\d\d UTC", warned)  # when
    assert f'href="/admin/accounts/{staff.member.account_id}"' in page.text


async def test_the_log_filters_by_action_actor_and_account(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    moderation = web_components.services.account_moderation
    await moderation.warn(staff.as_moderator, staff.member.account_id, "one")
    await moderation.limit(staff.as_admin, staff.reporter.account_id, "two")
    await signed_in(web, web_components, staff.moderator)

    by_action = audit_rows((await web.get("/admin/audit-log?action=account.limit")).text)
    assert len(by_action) == 1
    assert "two" in by_action[0]
    by_kind = audit_rows((await web.get("/admin/audit-log?action=account.")).text)
    assert len(by_kind) == 2
    by_actor = audit_rows(
        (await web.get(f"/admin/audit-log?actor={staff.moderator.account_id}")).text
    )
    assert len(by_actor) == 1
    assert "one" in by_actor[0]
    about = await web.get(f"/admin/audit-log?account={staff.reporter.account_id}")
    assert len(audit_rows(about.text)) == 1
    assert "Showing entries about" in about.text
    assert "@rita" in about.text
    assert (await web.get("/admin/audit-log?action=drop.table")).status_code == 422


async def test_the_log_pages_to_older_entries(
    web: httpx.AsyncClient, web_components: Components, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = await make_staff(web_components)
    moderation = web_components.services.account_moderation
    for reason in ("first", "second", "third"):
        await moderation.warn(staff.as_moderator, staff.member.account_id, reason)
    await signed_in(web, web_components, staff.moderator)
    monkeypatch.setattr(admin_audit, "PAGE_SIZE", 2)

    newest = await web.get("/admin/audit-log")
    rows = audit_rows(newest.text)
    assert len(rows) == 2
    assert "third" in rows[0]
    assert "second" in rows[1]
    older = re.search(r'href="(/admin/audit-log\?max_id=\d+)" rel="next"', newest.text)
    assert older is not None
    last = audit_rows((await web.get(older.group(1))).text)
    assert len(last) == 1
    assert "first" in last[0]


async def test_the_log_cannot_be_edited_from_the_web_and_members_cannot_read_it(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    await web_components.services.account_moderation.warn(
        staff.as_moderator, staff.member.account_id, "<script>alert(1)</script>"
    )
    token = await signed_in(web, web_components, staff.moderator)
    page = await web.get("/admin/audit-log")
    # The only forms: the filter (GET) and the account menu's sign-out.
    assert re.findall(r'<form method="post" action="([^"]+)"', page.text) == ["/auth/sign_out"]
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    for method in ("POST", "PUT", "DELETE"):
        answer = await web.request(method, "/admin/audit-log", data={"authenticity_token": token})
        assert answer.status_code == 405, method

    member_token = await signed_in(web, web_components, staff.reporter)
    assert (await web.get("/admin/audit-log")).status_code == 404
    assert (await post_form(web, member_token, "/admin/audit-log")).status_code in (404, 405)
