"""Suggestions, the directory, announcements and the extended description."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import insert, update

from godwit.domain.ids import new_id
from godwit.storage.schema import accounts, announcements
from tests.api.tier3_helpers import components_of, post
from tests.factories import make_member


async def test_suggestions_skip_the_known_and_remember_dismissals(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    dave = await make_member(components, "dave")
    erin = await make_member(components, "erin")
    await client.post(f"/api/v1/accounts/{bob.account_id}/follow", headers=alice.headers)
    await client.post(f"/api/v1/accounts/{carol.account_id}/follow", headers=bob.headers)
    await client.post(f"/api/v1/accounts/{erin.account_id}/block", headers=alice.headers)

    response = await client.get("/api/v2/suggestions", headers=alice.headers)
    assert response.status_code == 200, response.text
    found = {item["account"]["id"]: item["sources"] for item in response.json()}
    assert str(bob.account_id) not in found  # already followed
    assert str(erin.account_id) not in found  # blocked
    assert str(alice.account_id) not in found
    assert "friends_of_friends" in found[str(carol.account_id)]
    assert found[str(dave.account_id)] == ["most_followed"]
    assert response.json()[0]["account"]["id"] == str(carol.account_id)

    v1 = await client.get("/api/v1/suggestions", headers=alice.headers)
    assert {account["id"] for account in v1.json()} == set(found)

    dismissed = await client.delete(f"/api/v1/suggestions/{dave.account_id}", headers=alice.headers)
    assert dismissed.status_code == 200
    again = await client.get("/api/v2/suggestions", headers=alice.headers)
    assert str(dave.account_id) not in {item["account"]["id"] for item in again.json()}


async def test_directory_lists_discoverable_accounts(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    hidden = await make_member(components, "hidden")
    async with components.database.write() as conn:
        await conn.execute(
            update(accounts).where(accounts.c.id == hidden.account_id).values(discoverable=False)
        )
    await post(client, alice, "I am active")

    active = await client.get("/api/v1/directory", params={"local": "true"})
    assert active.status_code == 200
    ids = [account["id"] for account in active.json()]
    assert ids == [str(alice.account_id), str(bob.account_id)]  # posters first
    newest = await client.get("/api/v1/directory", params={"order": "new", "limit": 1})
    assert [account["id"] for account in newest.json()] == [str(bob.account_id)]
    paged = await client.get("/api/v1/directory", params={"order": "new", "offset": 1})
    assert [account["id"] for account in paged.json()] == [str(alice.account_id)]
    wrong = await client.get("/api/v1/directory", params={"order": "oldest"})
    assert wrong.status_code == 422


async def test_announcements_are_empty_until_published(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    listed = await client.get("/api/v1/announcements", headers=alice.headers)
    assert listed.status_code == 200
    assert listed.json() == []
    unknown = await client.post("/api/v1/announcements/12345/dismiss", headers=alice.headers)
    assert unknown.status_code == 404

    now = dt.datetime.now(dt.UTC)
    announcement_id = new_id()
    async with components.database.write() as conn:
        await conn.execute(
            insert(announcements).values(
                id=announcement_id,
                text="Maintenance tonight",
                content="<p>Maintenance tonight</p>",
                published_at=now,
                created_at=now,
                updated_at=now,
            )
        )
    listed = await client.get("/api/v1/announcements", headers=alice.headers)
    assert [item["id"] for item in listed.json()] == [str(announcement_id)]
    assert listed.json()[0]["read"] is False
    dismissed = await client.post(
        f"/api/v1/announcements/{announcement_id}/dismiss", headers=alice.headers
    )
    assert dismissed.status_code == 200
    listed = await client.get("/api/v1/announcements", headers=alice.headers)
    assert listed.json()[0]["read"] is True


async def test_extended_description_comes_from_server_settings(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    empty = await client.get("/api/v1/instance/extended_description")
    assert empty.status_code == 200
    assert empty.json()["content"] == ""
    async with components.store.write() as tx:
        await tx.instance.set_setting("extended_description", "<p>About us</p>")
        await tx.instance.set_setting(
            "extended_description_updated_at", "2026-01-02T03:04:05+00:00"
        )
    written = await client.get("/api/v1/instance/extended_description")
    assert written.json() == {
        "content": "<p>About us</p>",
        "updated_at": "2026-01-02T03:04:05.000Z",
    }
