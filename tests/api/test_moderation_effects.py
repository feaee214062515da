"""What moderation looks like through the Mastodon client API: roles in CredentialAccount,
warnings in notifications (v1 and grouped v2, validated against the OpenAPI contract),
suspended and limited accounts, and the 403 for a login pending approval."""

from __future__ import annotations

import httpx
from sqlalchemy import update

from godwit.app import Components
from godwit.domain.roles import Actor
from godwit.storage.schema import users
from tests.factories import make_member
from tests.services.moderation_support import make_staff, post


def _components(client: httpx.AsyncClient) -> Components:
    return client.app.state.components  # type: ignore[attr-defined,no-any-return]


async def test_each_role_shows_in_verify_credentials(client: httpx.AsyncClient) -> None:
    components = _components(client)
    staff = await make_staff(components)
    shown = {}
    for member in (staff.admin, staff.moderator, staff.member):
        response = await client.get("/api/v1/accounts/verify_credentials", headers=member.headers)
        assert response.status_code == 200
        role = response.json()["role"]
        shown[member.username] = (role["id"], role["name"], role["highlighted"])
        assert int(role["permissions"]) >= 0
    assert shown == {
        "ada": ("2", "Admin", True),
        "mona": ("1", "Moderator", True),
        "troll": ("-99", "", False),
    }
    # A role change shows at the next request: the token carries no stale role.
    await components.services.account_moderation.set_role(
        staff.as_admin, staff.member.account_id, "moderator"
    )
    again = await client.get("/api/v1/accounts/verify_credentials", headers=staff.member.headers)
    assert again.json()["role"]["name"] == "Moderator"


async def test_a_warning_arrives_as_a_moderation_warning_notification(
    client: httpx.AsyncClient,
) -> None:
    components = _components(client)
    staff = await make_staff(components)
    status_id = await post(components, staff.member, "rude words")
    await components.services.status_moderation.mark_sensitive(
        staff.as_moderator, status_id, reason="Please add a content warning."
    )
    v1 = await client.get("/api/v1/notifications", headers=staff.member.headers)
    assert v1.status_code == 200
    (notification,) = v1.json()
    assert notification["type"] == "moderation_warning"
    warning = notification["moderation_warning"]
    assert warning["action"] == "mark_statuses_as_sensitive"
    assert warning["text"] == "Please add a content warning."
    assert warning["status_ids"] == [str(status_id)]
    assert warning["target_account"]["id"] == str(staff.member.account_id)
    assert warning["appeal"] is None

    v2 = await client.get("/api/v2/notifications", headers=staff.member.headers)
    assert v2.status_code == 200
    (group,) = v2.json()["notification_groups"]
    assert group["type"] == "moderation_warning"
    assert group["moderation_warning"]["id"] == warning["id"]

    status = await client.get(f"/api/v1/statuses/{status_id}", headers=staff.reporter.headers)
    assert status.json()["sensitive"] is True


async def test_suspended_and_limited_accounts_as_others_see_them(
    client: httpx.AsyncClient,
) -> None:
    components = _components(client)
    staff = await make_staff(components)
    loud = await make_member(components, "loud")
    suspended_post = await post(components, staff.member, "bye")
    await components.services.account_moderation.suspend(
        staff.as_moderator, staff.member.account_id, "spam"
    )
    await components.services.account_moderation.limit(staff.as_moderator, loud.account_id)
    viewer = staff.reporter.headers

    profile = await client.get(f"/api/v1/accounts/{staff.member.account_id}", headers=viewer)
    assert profile.status_code == 200
    assert profile.json()["suspended"] is True
    assert profile.json()["display_name"] == ""
    gone = await client.get(f"/api/v1/statuses/{suspended_post}", headers=viewer)
    assert gone.status_code == 404
    listing = await client.get(
        f"/api/v1/accounts/{staff.member.account_id}/statuses", headers=viewer
    )
    assert listing.status_code == 404
    refused = await client.get("/api/v1/accounts/verify_credentials", headers=staff.member.headers)
    assert refused.status_code == 401  # its tokens were revoked

    limited = await client.get(f"/api/v1/accounts/{loud.account_id}", headers=viewer)
    assert limited.json()["limited"] is True


async def test_pending_and_disabled_logins_get_403_with_mastodons_messages(
    client: httpx.AsyncClient,
) -> None:
    components = _components(client)
    pending = await make_member(components, "newcomer")
    frozen = await make_member(components, "frozen")
    async with components.database.write() as conn:
        await conn.execute(
            update(users).where(users.c.id == pending.user_id).values(approved=False)
        )
    staff = await make_staff(components)
    await components.services.account_moderation.disable(
        Actor(staff.moderator.account_id), frozen.account_id
    )
    for member, message in (
        (pending, "Your login is currently pending approval"),
        (frozen, "Your login is currently disabled"),
    ):
        for method, path in (
            ("GET", "/api/v1/accounts/verify_credentials"),
            ("GET", "/api/v1/timelines/home"),
            ("POST", "/api/v1/statuses"),
        ):
            response = await client.request(
                method, path, headers=member.headers, json={"status": "hi"}
            )
            assert response.status_code == 403, (member.username, path)
            assert response.json() == {"error": message}
