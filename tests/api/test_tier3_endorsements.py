"""Endorsements: featuring followed accounts on one's profile."""

from __future__ import annotations

import httpx

from tests.api.tier3_helpers import components_of
from tests.factories import make_member


async def test_endorse_only_followed_accounts(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")

    refused = await client.post(f"/api/v1/accounts/{bob.account_id}/pin", headers=alice.headers)
    assert refused.status_code == 422  # must follow first

    for target in (bob, carol):
        await client.post(f"/api/v1/accounts/{target.account_id}/follow", headers=alice.headers)
        pinned = await client.post(
            f"/api/v1/accounts/{target.account_id}/pin", headers=alice.headers
        )
        assert pinned.status_code == 200, pinned.text
        assert pinned.json()["endorsed"] is True

    listed = await client.get("/api/v1/endorsements", headers=alice.headers)
    assert listed.status_code == 200
    assert [account["id"] for account in listed.json()] == [
        str(carol.account_id),
        str(bob.account_id),
    ]
    rel = await client.get(
        "/api/v1/accounts/relationships",
        params={"id[]": str(bob.account_id)},
        headers=alice.headers,
    )
    assert rel.json()[0]["endorsed"] is True

    unpinned = await client.post(f"/api/v1/accounts/{bob.account_id}/unpin", headers=alice.headers)
    assert unpinned.status_code == 200
    assert unpinned.json()["endorsed"] is False
    listed = await client.get("/api/v1/endorsements", headers=alice.headers)
    assert [account["id"] for account in listed.json()] == [str(carol.account_id)]
    missing = await client.post("/api/v1/accounts/123456789/pin", headers=alice.headers)
    assert missing.status_code == 404
