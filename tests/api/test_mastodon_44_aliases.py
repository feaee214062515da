"""Mastodon 4.4's names for things Godwit had: endorse/unendorse (pin/unpin), another
account's endorsements, and featuring a tag by name."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import update

from godwit.storage.schema import accounts
from tests.api.tier3_helpers import components_of
from tests.factories import make_member


async def test_endorse_and_unendorse_and_the_endorsements_of_an_account(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    await client.post(f"/api/v1/accounts/{bob.account_id}/follow", headers=alice.headers)

    endorsed = await client.post(
        f"/api/v1/accounts/{bob.account_id}/endorse", headers=alice.headers
    )
    assert endorsed.status_code == 200
    assert endorsed.json()["endorsed"] is True
    not_followed = await client.post(
        f"/api/v1/accounts/{carol.account_id}/endorse", headers=alice.headers
    )
    assert not_followed.status_code == 422

    path = f"/api/v1/accounts/{alice.account_id}/endorsements"
    for headers in ({}, carol.headers, alice.headers):
        shown = await client.get(path, headers=headers)
        assert shown.status_code == 200
        assert [account["id"] for account in shown.json()] == [str(bob.account_id)]

    # Hidden from someone alice blocks, as her other lists are.
    await client.post(f"/api/v1/accounts/{carol.account_id}/block", headers=alice.headers)
    assert (await client.get(path, headers=carol.headers)).json() == []
    assert (await client.get("/api/v1/accounts/4242/endorsements")).status_code == 404

    unendorsed = await client.post(
        f"/api/v1/accounts/{bob.account_id}/unendorse", headers=alice.headers
    )
    assert unendorsed.json()["endorsed"] is False
    assert (await client.get(path)).json() == []
    assert (await client.get("/api/v1/endorsements", headers=alice.headers)).json() == []


async def test_a_suspended_accounts_endorsements_are_empty(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await client.post(f"/api/v1/accounts/{bob.account_id}/follow", headers=alice.headers)
    await client.post(f"/api/v1/accounts/{bob.account_id}/endorse", headers=alice.headers)
    async with components.database.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == alice.account_id)
            .values(suspended_at=dt.datetime.now(dt.UTC))
        )
    response = await client.get(f"/api/v1/accounts/{alice.account_id}/endorsements")
    assert response.status_code == 200
    assert response.json() == []


async def test_feature_and_unfeature_a_tag_by_name(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    featured = await client.post("/api/v1/tags/Godwits/feature", headers=alice.headers)
    assert featured.status_code == 200
    assert featured.json()["name"] == "Godwits"
    assert featured.json()["featuring"] is True
    again = await client.post("/api/v1/tags/godwits/feature", headers=alice.headers)
    assert again.json()["featuring"] is True  # already featured: nothing changes
    listed = (await client.get("/api/v1/featured_tags", headers=alice.headers)).json()
    assert [item["name"] for item in listed] == ["Godwits"]

    unfeatured = await client.post("/api/v1/tags/Godwits/unfeature", headers=alice.headers)
    assert unfeatured.status_code == 200
    assert unfeatured.json()["featuring"] is False
    assert (await client.get("/api/v1/featured_tags", headers=alice.headers)).json() == []
    never = await client.post("/api/v1/tags/neverfeatured/unfeature", headers=alice.headers)
    assert never.json()["featuring"] is False

    bad = await client.post("/api/v1/tags/not%20a%20tag/feature", headers=alice.headers)
    assert bad.status_code == 422
    for n in range(10):
        await client.post(f"/api/v1/tags/tag{n}/feature", headers=alice.headers)
    eleventh = await client.post("/api/v1/tags/onetoomany/feature", headers=alice.headers)
    assert eleventh.status_code == 422
    assert (await client.post("/api/v1/tags/x/feature")).status_code == 401
