"""Accounts as moderators see them: the list with search and filters, one account's page
and its action forms, and sign-up approvals."""

from __future__ import annotations

import httpx
from sqlalchemy import update

from godwit.app import Components
from godwit.services.accounts import SignUp
from godwit.storage.schema import users
from tests.services.moderation_support import audit_entries, post, report
from tests.web.admin_support import (
    browser,
    make_staff,
    page_text,
    post_form,
    set_registration_mode,
    signed_in,
)
from tests.web.pages import csrf_token


async def test_the_list_searches_and_filters_accounts_with_badges(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    await web_components.services.account_moderation.limit(
        staff.as_admin, staff.member.account_id, "loud"
    )
    await signed_in(web, web_components, staff.moderator)

    everyone = await web.get("/admin/accounts")
    assert everyone.status_code == 200
    text = page_text(everyone.text)
    for name in ("@ada", "@mona", "@troll", "@rita", "troll@example.test"):
        assert name in text
    assert 'aria-current="page">Accounts' in everyone.text

    by_name = page_text((await web.get("/admin/accounts?q=tro")).text)
    assert "@troll" in by_name
    assert "@rita" not in by_name
    by_email = page_text((await web.get("/admin/accounts?q=rita@exa")).text)
    assert "@rita" in by_email
    assert "@troll" not in by_email
    by_display_name = page_text((await web.get("/admin/accounts?q=Mona")).text)
    assert "@mona" in by_display_name

    limited = page_text((await web.get("/admin/accounts?status=silenced")).text)
    assert "@troll" in limited
    assert "Limited" in limited
    assert "@rita" not in limited
    staff_only = page_text((await web.get("/admin/accounts?status=staff")).text)
    assert "@ada" in staff_only
    assert "@mona" in staff_only
    assert "@troll" not in staff_only
    assert "Admin" in staff_only
    assert "Moderator" in staff_only
    nobody = await web.get("/admin/accounts?status=suspended")
    assert "No accounts match." in nobody.text
    # An unknown filter is ignored rather than an error.
    assert (await web.get("/admin/accounts?status=<bogus>")).status_code == 200


async def test_the_account_page_shows_details_posts_reports_and_history(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    await post(web_components, staff.member, "a public thought")
    await post(web_components, staff.member, "for followers only", visibility="private")
    await post(web_components, staff.member, "@rita a private mention", visibility="direct")
    report_id = await report(web_components, staff.reporter, staff.member)
    await web_components.services.account_moderation.warn(
        staff.as_admin, staff.member.account_id, "First warning."
    )
    await signed_in(web, web_components, staff.moderator)

    page = await web.get(f"/admin/accounts/{staff.member.account_id}")
    assert page.status_code == 200
    text = page_text(page.text)
    assert "troll@example.test" in text
    assert "Role Member" in text
    assert "a public thought" in text
    assert "for followers only" in text  # moderators review followers-only posts too
    assert "a private mention" not in text  # but not private conversations
    assert f"Report #{report_id}" in text
    assert "Warning" in text
    assert "First warning." in text
    assert "@ada Warned account.warn" in text
    assert f'action="/admin/accounts/{staff.member.account_id}/action"' in page.text
    assert 'href="/admin/audit-log?account=' in page.text


async def test_sign_up_address_and_reason_are_shown_and_approval_lets_them_in(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    await set_registration_mode(web_components, "approval")
    async with browser(web) as newcomer:
        signed_up = await newcomer.post(
            "/auth/sign_up",
            data={
                "authenticity_token": await csrf_token(newcomer, "/auth/sign_up"),
                "username": "newbie",
                "email": "newbie@example.test",
                "password": "a long enough password",
                "password_confirmation": "a long enough password",
                "reason": "I birdwatch <b>every</b> weekend.",
                "agreement": "1",
            },
        )
        assert signed_up.headers["location"] == "/?notice=pending_approval"

        token = await signed_in(web, web_components, staff.moderator)
        queue = await web.get("/admin/approvals")
        assert queue.status_code == 200
        text = page_text(queue.text)
        assert "@newbie" in text
        assert "newbie@example.test" in text
        assert "I birdwatch <b>every</b> weekend." in text  # as text, not markup
        assert "<b>every</b>" not in queue.text
        pending = page_text((await web.get("/admin/accounts?status=pending")).text)
        assert "@newbie" in pending
        assert "Pending" in pending

        newbie = await web_components.services.accounts.lookup("newbie")
        details = page_text((await web.get(f"/admin/accounts/{newbie.id}")).text)
        assert "This sign-up waits for approval." in details
        assert "Sign-up address 127.0.0.1" in details

        approved = await post_form(
            web,
            token,
            f"/admin/accounts/{newbie.id}/approve",
            {"reason": "Welcome!", "return_to": "/admin/approvals"},
        )
        assert approved.headers["location"] == "/admin/approvals?notice=sign_up_approved"
        assert "Nobody is waiting for approval." in (await web.get("/admin/approvals")).text
        signed_in_now = await newcomer.post(
            "/auth/sign_in",
            data={
                "authenticity_token": await csrf_token(newcomer),
                "login": "newbie",
                "password": "a long enough password",
            },
        )
        assert signed_in_now.status_code == 303
    (entry,) = await audit_entries(web_components, action="account.approve")
    assert (entry.actor_name, entry.target_name, entry.reason) == ("@mona", "@newbie", "Welcome!")


async def test_rejecting_a_sign_up_deletes_it_and_approving_twice_is_refused_gently(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    await set_registration_mode(web_components, "approval")
    registered = await web_components.services.web_sessions.sign_up(
        SignUp(
            username="spammer",
            email="spam@example.test",
            password="a long enough password",
            agreement=True,
            reason="buy cheap watches",
        )
    )
    account_id = registered.account.id
    token = await signed_in(web, web_components, staff.moderator)
    rejected = await post_form(
        web,
        token,
        f"/admin/accounts/{account_id}/reject",
        {"reason": "Spam sign-up.", "return_to": "/admin/approvals"},
    )
    assert rejected.headers["location"] == "/admin/approvals?notice=sign_up_rejected"
    assert (await web.get(f"/admin/accounts/{account_id}")).status_code == 404
    (entry,) = await audit_entries(web_components, action="account.reject")
    assert entry.reason == "Spam sign-up."
    log = page_text((await web.get("/admin/audit-log")).text)
    assert "Rejected sign-up" in log
    assert "@spammer" in log

    # An account already approved: the page says so instead of failing.
    async with web_components.database.write() as conn:
        await conn.execute(
            update(users).where(users.c.id == staff.member.user_id).values(approved=True)
        )
    again = await post_form(
        web,
        token,
        f"/admin/accounts/{staff.member.account_id}/approve",
        {"return_to": "/admin/approvals"},
    )
    assert again.status_code == 409
    assert "not waiting for approval" in again.text


async def test_limit_then_lift_it_with_reasons(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    token = await signed_in(web, web_components, staff.moderator)
    base = f"/admin/accounts/{staff.member.account_id}"
    limited = await post_form(
        web,
        token,
        f"{base}/action",
        {"type": "silence", "reason": "Flooding the local timeline.", "return_to": base},
    )
    assert limited.headers["location"] == f"{base}?notice=action_taken"
    page = await web.get(base)
    assert "Limited" in page_text(page.text)
    assert f'action="{base}/unlimit"' in page.text
    # Without "notify" the member gets no notification.
    notifications = await web.get("/api/v1/notifications", headers=staff.member.headers)
    assert notifications.json() == []

    missing = await post_form(web, token, f"{base}/unlimit", {"reason": "", "return_to": base})
    assert missing.status_code == 422
    assert 'id="unlimit-error"' in missing.text
    lifted = await post_form(
        web, token, f"{base}/unlimit", {"reason": "They calmed down.", "return_to": base}
    )
    assert lifted.status_code == 303
    assert not (await web_components.services.accounts.get(staff.member.account_id)).silenced
    actions = [(e.action, e.reason) for e in await audit_entries(web_components)]
    assert actions == [
        ("account.unlimit", "They calmed down."),
        ("account.limit", "Flooding the local timeline."),
    ]


async def test_suspend_then_unsuspend_from_the_account_page(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    token = await signed_in(web, web_components, staff.moderator)
    base = f"/admin/accounts/{staff.member.account_id}"
    await post_form(
        web, token, f"{base}/action", {"type": "suspend", "reason": "Threats.", "return_to": base}
    )
    page = page_text((await web.get(base)).text)
    assert "Suspended" in page
    assert "can be restored until" in page
    suspended = page_text((await web.get("/admin/accounts?status=suspended")).text)
    assert "@troll" in suspended
    assert (
        await web.get("/api/v1/accounts/verify_credentials", headers=staff.member.headers)
    ).status_code == 401

    restored = await post_form(
        web, token, f"{base}/unsuspend", {"reason": "Appeal accepted.", "return_to": base}
    )
    assert restored.status_code == 303
    assert not (await web_components.services.accounts.get(staff.member.account_id)).suspended
    assert "Active" in page_text((await web.get(base)).text)


async def test_moderators_cannot_act_on_staff_and_only_admins_change_roles(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    token = await signed_in(web, web_components, staff.moderator)
    admin_page = await web.get(f"/admin/accounts/{staff.admin.account_id}")
    assert "You cannot act on this account" in admin_page.text
    assert f'action="/admin/accounts/{staff.admin.account_id}/action"' not in admin_page.text
    refused = await post_form(
        web,
        token,
        f"/admin/accounts/{staff.admin.account_id}/action",
        {"type": "suspend", "reason": "coup"},
    )
    assert refused.status_code == 403
    member_page = await web.get(f"/admin/accounts/{staff.member.account_id}")
    assert "/role" not in member_page.text
    promoted = await post_form(
        web,
        token,
        f"/admin/accounts/{staff.member.account_id}/role",
        {"role": "moderator", "reason": "friend"},
    )
    assert promoted.status_code == 403
    assert not (await web_components.services.accounts.get(staff.admin.account_id)).suspended

    async with browser(web) as admin:
        admin_token = await signed_in(admin, web_components, staff.admin)
        page = await admin.get(f"/admin/accounts/{staff.reporter.account_id}")
        assert f'action="/admin/accounts/{staff.reporter.account_id}/role"' in page.text
        changed = await post_form(
            admin,
            admin_token,
            f"/admin/accounts/{staff.reporter.account_id}/role",
            {"role": "moderator", "reason": "Helps with reports."},
        )
        assert changed.status_code == 303
    (entry,) = await audit_entries(web_components, action="account.role")
    assert entry.details == {"from": "member", "to": "moderator"}
    assert entry.reason == "Helps with reports."
