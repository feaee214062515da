"""Featured tags on a profile, with their counts, and suggestions of what to feature."""

from __future__ import annotations

import httpx

from tests.api.tier3_helpers import components_of, post
from tests.factories import make_member


async def test_feature_list_and_unfeature(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await post(client, alice, "#Birding at dawn")
    await post(client, alice, "more #birding")
    await post(client, alice, "private #birding", visibility="private")
    await post(client, alice, "#mudflats")

    suggestions = await client.get("/api/v1/featured_tags/suggestions", headers=alice.headers)
    assert suggestions.status_code == 200
    assert [tag["name"] for tag in suggestions.json()][:2] == ["Birding", "mudflats"]

    created = await client.post(
        "/api/v1/featured_tags", data={"name": "#birding"}, headers=alice.headers
    )
    assert created.status_code == 200, created.text
    featured = created.json()
    assert featured["name"] == "Birding"
    assert featured["statuses_count"] == "2"  # the private post is not counted
    assert featured["last_status_at"] is not None
    assert featured["url"].endswith("/@alice/tagged/birding")
    duplicate = await client.post(
        "/api/v1/featured_tags", data={"name": "Birding"}, headers=alice.headers
    )
    assert duplicate.status_code == 422

    mine = await client.get("/api/v1/featured_tags", headers=alice.headers)
    assert [item["id"] for item in mine.json()] == [featured["id"]]
    theirs = await client.get(f"/api/v1/accounts/{alice.account_id}/featured_tags")
    assert theirs.status_code == 200
    assert [item["name"] for item in theirs.json()] == ["Birding"]
    suggestions = await client.get("/api/v1/featured_tags/suggestions", headers=alice.headers)
    assert "Birding" not in [tag["name"] for tag in suggestions.json()]

    not_hers = await client.delete(f"/api/v1/featured_tags/{featured['id']}", headers=bob.headers)
    assert not_hers.status_code == 404
    removed = await client.delete(f"/api/v1/featured_tags/{featured['id']}", headers=alice.headers)
    assert removed.status_code == 200
    assert (await client.get("/api/v1/featured_tags", headers=alice.headers)).json() == []
    missing = await client.get("/api/v1/accounts/123456789/featured_tags")
    assert missing.status_code == 404


async def test_featuring_is_capped(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    for index in range(10):
        response = await client.post(
            "/api/v1/featured_tags", data={"name": f"tag{index}x"}, headers=alice.headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["statuses_count"] == "0"
        assert response.json()["last_status_at"] is None
    over = await client.post(
        "/api/v1/featured_tags", data={"name": "onemore"}, headers=alice.headers
    )
    assert over.status_code == 422
