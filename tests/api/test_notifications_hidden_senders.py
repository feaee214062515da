"""Notifications never show a suspended sender, and bad filter input is a 422, not a 500."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import update

from godwit.app import Components
from godwit.storage.schema import accounts
from tests.factories import make_member
from tests.notifications_support import make_status, notify_now


def _components(client: httpx.AsyncClient) -> Components:
    return client.app.state.components  # type: ignore[attr-defined,no-any-return]


async def _suspend(components: Components, account_id: int) -> None:
    async with components.database.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(suspended_at=dt.datetime.now(dt.UTC))
        )


async def test_a_suspended_senders_notifications_are_hidden_everywhere(
    client: httpx.AsyncClient,
) -> None:
    components = _components(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    status_id = await make_status(components, alice.account_id)
    await notify_now(
        components, recipient_id=alice.account_id, from_account_id=bob.account_id, type="follow"
    )
    await notify_now(
        components,
        recipient_id=alice.account_id,
        from_account_id=bob.account_id,
        type="favourite",
        status_id=status_id,
    )
    await notify_now(
        components, recipient_id=alice.account_id, from_account_id=carol.account_id, type="follow"
    )
    listed = await client.get("/api/v1/notifications", headers=alice.headers)
    bobs_ids = [n["id"] for n in listed.json() if n["account"]["id"] == str(bob.account_id)]
    assert len(bobs_ids) == 2

    await _suspend(components, bob.account_id)

    listed = await client.get("/api/v1/notifications", headers=alice.headers)
    assert [n["account"]["username"] for n in listed.json()] == ["carol"]
    grouped = await client.get("/api/v2/notifications", headers=alice.headers)
    assert [a["username"] for a in grouped.json()["accounts"]] == ["carol"]
    for notification_id in bobs_ids:
        one = await client.get(f"/api/v1/notifications/{notification_id}", headers=alice.headers)
        assert one.status_code == 404
    unread = await client.get("/api/v1/notifications/unread_count", headers=alice.headers)
    assert unread.json() == {"count": 1}


async def test_nul_in_a_type_filter_is_refused_not_a_server_error(
    client: httpx.AsyncClient,
) -> None:
    alice = await make_member(_components(client), "alice")
    for path in (
        "/api/v1/notifications",
        "/api/v1/notifications/unread_count",
        "/api/v2/notifications",
        "/api/v2/notifications/unread_count",
    ):
        for name in ("types[]", "exclude_types[]"):
            response = await client.get(path, params={name: "fol\x00low"}, headers=alice.headers)
            assert response.status_code == 422, (path, name, response.text)
            assert "NUL" in response.json()["error"]
