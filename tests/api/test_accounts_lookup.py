"""GET /api/v1/accounts/:id, lookup and search."""

from __future__ import annotations

import httpx
import pytest

from tests.api.accounts_support import bearer, check_contract, components_of
from tests.factories import make_member


async def test_show_needs_no_token_but_refuses_a_bad_one(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    response = await client.get(f"/api/v1/accounts/{alice.account_id}")
    assert response.status_code == 200
    check_contract(response)
    body = response.json()
    assert body["id"] == str(alice.account_id)
    assert "source" not in body
    assert "role" not in body
    assert body["group"] is False
    assert body["emojis"] == []
    assert body["fields"] == []
    assert body["last_status_at"] is None
    assert (
        await client.get(f"/api/v1/accounts/{alice.account_id}", headers=alice.headers)
    ).status_code == 200
    bad = await client.get(f"/api/v1/accounts/{alice.account_id}", headers=bearer("invalid"))
    assert bad.status_code == 401


@pytest.mark.parametrize(
    "path_id", ["1", "999999999999999999", "abc", "-5", "1.5", "99999999999999999999999"]
)
async def test_unknown_or_malformed_ids_are_404(client: httpx.AsyncClient, path_id: str) -> None:
    response = await client.get(f"/api/v1/accounts/{path_id}")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


async def test_an_id_plus_one_names_nothing(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    assert (await client.get(f"/api/v1/accounts/{alice.account_id + 1}")).status_code == 404


async def test_lookup_by_acct_forms(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "Alice")
    for acct in ("alice", "@ALICE", "alice@godwit.test", "Alice@GODWIT.TEST"):
        response = await client.get("/api/v1/accounts/lookup", params={"acct": acct})
        assert response.status_code == 200, acct
        check_contract(response)
        assert response.json()["id"] == str(alice.account_id)
    for acct in ("nobody", "alice@elsewhere.example", "", "@"):
        response = await client.get("/api/v1/accounts/lookup", params={"acct": acct})
        assert response.status_code == 404, acct
    assert (await client.get("/api/v1/accounts/lookup")).status_code == 404


async def test_search_by_prefix_with_exact_match_first(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    viewer = await make_member(components, "viewer")
    for name in ("robinson", "robin", "robyn", "wren"):
        await make_member(components, name)
    response = await client.get(
        "/api/v1/accounts/search", params={"q": "robin"}, headers=viewer.headers
    )
    assert response.status_code == 200
    check_contract(response)
    assert [a["username"] for a in response.json()] == ["robin", "robinson"]
    by_display_name = await client.get(
        "/api/v1/accounts/search", params={"q": "@Rob"}, headers=viewer.headers
    )
    assert {a["username"] for a in by_display_name.json()} == {"robin", "robinson", "robyn"}
    page = await client.get(
        "/api/v1/accounts/search",
        params={"q": "rob", "limit": 1, "offset": 1},
        headers=viewer.headers,
    )
    assert len(page.json()) == 1
    remote = await client.get(
        "/api/v1/accounts/search", params={"q": "robin@elsewhere.example"}, headers=viewer.headers
    )
    assert remote.json() == []


async def test_search_following_only(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    viewer = await make_member(components, "viewer")
    followed = await make_member(components, "robin")
    await make_member(components, "robinson")
    follow = await client.post(
        f"/api/v1/accounts/{followed.account_id}/follow", headers=viewer.headers
    )
    assert follow.status_code == 200, follow.text
    response = await client.get(
        "/api/v1/accounts/search", params={"q": "rob", "following": "true"}, headers=viewer.headers
    )
    assert [a["username"] for a in response.json()] == ["robin"]


async def test_search_hides_accounts_blocked_either_way(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    viewer = await make_member(components, "viewer")
    blocker = await make_member(components, "robin")
    await make_member(components, "robinson")
    block = await client.post(
        f"/api/v1/accounts/{viewer.account_id}/block", headers=blocker.headers
    )
    assert block.status_code == 200, block.text
    response = await client.get(
        "/api/v1/accounts/search", params={"q": "rob"}, headers=viewer.headers
    )
    assert [a["username"] for a in response.json()] == ["robinson"]


async def test_search_input_errors(client: httpx.AsyncClient) -> None:
    viewer = await make_member(components_of(client), "viewer")
    assert (await client.get("/api/v1/accounts/search", params={"q": "x"})).status_code == 401
    for params in (
        {},
        {"q": "x", "limit": "many"},
        {"q": "x", "offset": "-1"},
        {"q": "x", "following": "often"},
    ):
        response = await client.get(
            "/api/v1/accounts/search", params=params, headers=viewer.headers
        )
        assert response.status_code == 422, params
