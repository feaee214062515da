"""Mastodon's admin API over the moderation services: accounts (view, list, act, undo,
approve, reject) and reports (list, show, assign, resolve, reopen), staff and scopes only."""

from __future__ import annotations

import httpx
from sqlalchemy import update

from godwit.app import Components
from godwit.storage.schema import users
from tests.factories import make_member
from tests.services.moderation_support import audit_entries, make_staff, post, report


def _components(client: httpx.AsyncClient) -> Components:
    return client.app.state.components  # type: ignore[attr-defined,no-any-return]


async def test_staff_act_on_accounts_through_the_admin_api(client: httpx.AsyncClient) -> None:
    components = _components(client)
    staff = await make_staff(components)
    mod, target = staff.moderator.headers, staff.member.account_id
    base = f"/api/v1/admin/accounts/{target}"

    shown = await client.get(base, headers=mod)
    assert shown.status_code == 200
    body = shown.json()
    assert (body["username"], body["email"], body["domain"]) == (
        "troll",
        "troll@example.test",
        None,
    )
    assert body["role"]["name"] == ""
    assert body["account"]["id"] == str(target)
    assert not (body["silenced"])
    assert not (body["suspended"])
    assert not (body["disabled"])
    assert not (body["sensitized"])

    acted = await client.post(
        f"{base}/action", headers=mod, json={"type": "silence", "text": "Tone it down."}
    )
    assert acted.status_code == 200, acted.text
    assert acted.json() == {}
    assert (await client.get(base, headers=mod)).json()["silenced"] is True
    notifications = await client.get("/api/v1/notifications", headers=staff.member.headers)
    assert notifications.json()[0]["moderation_warning"]["action"] == "silence"

    undone = await client.post(f"{base}/unsilence", headers=mod)
    assert undone.status_code == 200
    assert undone.json()["silenced"] is False
    again = await client.post(f"{base}/unsilence", headers=mod)
    assert again.status_code == 409

    suspended = await client.post(f"{base}/action", headers=mod, data={"type": "suspend"})
    assert suspended.status_code == 200
    restored = await client.post(f"{base}/unsuspend", headers=mod)
    assert restored.json()["suspended"] is False

    bad = await client.post(f"{base}/action", headers=mod, json={"type": "banish"})
    assert bad.status_code == 422
    assert "error" in bad.json()
    missing = await client.get("/api/v1/admin/accounts/123456789", headers=mod)
    assert missing.status_code == 404
    actions = [entry.action for entry in await audit_entries(components)]
    assert actions == ["account.unsuspend", "account.suspend", "account.unlimit", "account.limit"]


async def test_members_and_scopeless_tokens_are_refused(client: httpx.AsyncClient) -> None:
    components = _components(client)
    staff = await make_staff(components)
    plain_moderator = await make_member(components, "scoped", role="moderator", scopes="read")
    target = staff.member.account_id
    for headers, status in (
        (staff.reporter.headers, 403),  # a member
        (plain_moderator.headers, 403),  # staff, but the token lacks admin scopes
        ({}, 401),
    ):
        for method, path in (
            ("GET", f"/api/v1/admin/accounts/{target}"),
            ("POST", f"/api/v1/admin/accounts/{target}/action"),
            ("GET", "/api/v2/admin/accounts"),
            ("GET", "/api/v1/admin/reports"),
        ):
            response = await client.request(method, path, headers=headers, json={"type": "none"})
            assert response.status_code == status, (method, path, headers)
            assert "error" in response.json()
    assert await audit_entries(components) == []


async def test_listing_accounts_and_approving_sign_ups(client: httpx.AsyncClient) -> None:
    components = _components(client)
    staff = await make_staff(components)
    newbie = await make_member(components, "newbie")
    spammer = await make_member(components, "spammer")
    async with components.database.write() as conn:
        await conn.execute(
            update(users)
            .where(users.c.account_id.in_([newbie.account_id, spammer.account_id]))
            .values(approved=False, signup_reason="birds!")
        )
    admin = staff.admin.headers
    pending = await client.get("/api/v2/admin/accounts?status=pending", headers=admin)
    assert {a["username"] for a in pending.json()} == {"newbie", "spammer"}
    assert {a["invite_request"] for a in pending.json()} == {"birds!"}
    staff_list = await client.get("/api/v2/admin/accounts?permissions=staff", headers=admin)
    assert {a["username"] for a in staff_list.json()} == {"ada", "mona"}
    by_name = await client.get("/api/v2/admin/accounts?username=ri", headers=admin)
    assert [a["username"] for a in by_name.json()] == ["rita"]
    remote = await client.get("/api/v2/admin/accounts?origin=remote", headers=admin)
    assert remote.json() == []
    paged = await client.get("/api/v2/admin/accounts?limit=2", headers=admin)
    assert len(paged.json()) == 2
    assert 'rel="next"' in paged.headers["link"]
    odd = await client.get("/api/v2/admin/accounts?status=weird", headers=admin)
    assert odd.status_code == 422

    approved = await client.post(
        f"/api/v1/admin/accounts/{newbie.account_id}/approve", headers=admin
    )
    assert approved.status_code == 200
    assert approved.json()["approved"] is True
    me = await client.get("/api/v1/accounts/verify_credentials", headers=newbie.headers)
    assert me.status_code == 200
    rejected = await client.post(
        f"/api/v1/admin/accounts/{spammer.account_id}/reject", headers=admin
    )
    assert rejected.status_code == 200
    assert rejected.json()["username"] == "spammer"
    gone = await client.get(f"/api/v1/admin/accounts/{spammer.account_id}", headers=admin)
    assert gone.status_code == 404
    twice = await client.post(f"/api/v1/admin/accounts/{newbie.account_id}/approve", headers=admin)
    assert twice.status_code == 409


async def test_the_report_workflow_through_the_admin_api(client: httpx.AsyncClient) -> None:
    components = _components(client)
    staff = await make_staff(components)
    status_id = await post(components, staff.member, "nasty")
    report_id = await report(components, staff.reporter, staff.member, (status_id,))
    mod = staff.moderator.headers

    listing = await client.get("/api/v1/admin/reports", headers=mod)
    assert listing.status_code == 200
    (shown,) = listing.json()
    assert shown["id"] == str(report_id)
    assert shown["action_taken"] is False
    assert shown["account"]["username"] == "rita"
    assert shown["target_account"]["username"] == "troll"
    assert [s["id"] for s in shown["statuses"]] == [str(status_id)]
    assert shown["assigned_account"] is None

    base = f"/api/v1/admin/reports/{report_id}"
    assigned = await client.post(f"{base}/assign_to_self", headers=mod)
    assert assigned.json()["assigned_account"]["username"] == "mona"
    unassigned = await client.post(f"{base}/unassign", headers=mod)
    assert unassigned.json()["assigned_account"] is None

    action = await client.post(
        f"/api/v1/admin/accounts/{staff.member.account_id}/action",
        headers=mod,
        json={"type": "none", "text": "Warned.", "report_id": str(report_id)},
    )
    assert action.status_code == 200
    resolved = await client.get(base, headers=mod)
    assert resolved.json()["action_taken"] is True
    assert resolved.json()["action_taken_by_account"]["username"] == "mona"
    assert (await client.get("/api/v1/admin/reports", headers=mod)).json() == []
    done = await client.get("/api/v1/admin/reports?resolved=true", headers=mod)
    assert [r["id"] for r in done.json()] == [str(report_id)]

    reopened = await client.post(f"{base}/reopen", headers=mod)
    assert reopened.json()["action_taken"] is False
    closed = await client.post(f"{base}/resolve", headers=mod)
    assert closed.json()["action_taken"] is True
    assert (await client.post(f"{base}/resolve", headers=mod)).status_code == 409
    by_target = await client.get(
        f"/api/v1/admin/reports?resolved=true&target_account_id={staff.reporter.account_id}",
        headers=mod,
    )
    assert by_target.json() == []
    assert (await client.get("/api/v1/admin/reports/42", headers=mod)).status_code == 404
