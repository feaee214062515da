"""Lists CRUD: create, show, update, delete, the caller's lists, and ownership."""

from __future__ import annotations

import httpx

from tests.api.lists_helpers import add_members, make_list
from tests.api.timelines_helpers import components_of, follow
from tests.factories import make_member


async def test_create_show_update_and_delete_a_list(client: httpx.AsyncClient) -> None:
    owner = await make_member(components_of(client), "owner")
    created = await make_list(client, owner, "  Birders  ")
    assert created["title"] == "Birders"
    assert created["replies_policy"] == "list"  # Mastodon's default
    assert created["exclusive"] is False

    shown = await client.get(f"/api/v1/lists/{created['id']}", headers=owner.headers)
    assert shown.status_code == 200
    assert shown.json() == created

    updated = await client.put(
        f"/api/v1/lists/{created['id']}",
        json={"replies_policy": "followed", "exclusive": True},
        headers=owner.headers,
    )
    assert updated.status_code == 200, updated.text
    assert updated.json() == {
        "id": created["id"],
        "title": "Birders",  # not sent, so unchanged
        "replies_policy": "followed",
        "exclusive": True,
    }
    renamed = await client.put(
        f"/api/v1/lists/{created['id']}", data={"title": "Waders"}, headers=owner.headers
    )
    assert renamed.json()["title"] == "Waders"
    assert renamed.json()["replies_policy"] == "followed"

    deleted = await client.delete(f"/api/v1/lists/{created['id']}", headers=owner.headers)
    assert deleted.status_code == 200
    assert deleted.json() == {}
    gone = await client.get(f"/api/v1/lists/{created['id']}", headers=owner.headers)
    assert gone.status_code == 404


async def test_index_lists_only_the_callers_lists_oldest_first(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    owner = await make_member(components, "owner")
    other = await make_member(components, "other")
    first = await make_list(client, owner, "First", replies_policy="none")
    second = await make_list(client, owner, "Second", exclusive=True)
    await make_list(client, other, "Not yours")

    response = await client.get("/api/v1/lists", headers=owner.headers)
    assert response.status_code == 200
    assert response.json() == [first, second]
    assert second["exclusive"] is True
    assert first["replies_policy"] == "none"


async def test_another_members_list_is_not_found_for_every_operation(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    owner = await make_member(components, "owner")
    intruder = await make_member(components, "intruder")
    friend = await make_member(components, "friend")
    await follow(client, owner, friend)
    await follow(client, intruder, friend)
    mine = await make_list(client, owner)
    assert (await add_members(client, owner, mine["id"], friend)).status_code == 200
    path = f"/api/v1/lists/{mine['id']}"
    headers = intruder.headers
    account_ids = {"account_ids": [str(friend.account_id)]}

    assert (await client.get(path, headers=headers)).status_code == 404
    assert (await client.put(path, json={"title": "x"}, headers=headers)).status_code == 404
    assert (await client.delete(path, headers=headers)).status_code == 404
    assert (await client.get(f"{path}/accounts", headers=headers)).status_code == 404
    assert (
        await client.post(f"{path}/accounts", json=account_ids, headers=headers)
    ).status_code == 404
    assert (
        await client.request("DELETE", f"{path}/accounts", json=account_ids, headers=headers)
    ).status_code == 404
    timeline = await client.get(f"/api/v1/timelines/list/{mine['id']}", headers=headers)
    assert timeline.status_code == 404
    assert timeline.json() == {"error": "Record not found"}

    # Nothing changed for the owner.
    still = await client.get(path, headers=owner.headers)
    assert still.json() == mine
    members = await client.get(f"{path}/accounts", headers=owner.headers)
    assert [account["id"] for account in members.json()] == [str(friend.account_id)]


async def test_bad_input_is_a_422_and_writes_nothing(client: httpx.AsyncClient) -> None:
    owner = await make_member(components_of(client), "owner")
    for body in (
        {},
        {"title": "   "},
        {"title": "x" * 256},
        {"title": "ok", "replies_policy": "everyone"},
        {"title": "ok", "exclusive": "perhaps"},
    ):
        response = await client.post("/api/v1/lists", json=body, headers=owner.headers)
        assert response.status_code == 422, (body, response.text)
        assert "error" in response.json()
    assert (await client.get("/api/v1/lists", headers=owner.headers)).json() == []

    created = await make_list(client, owner, "x" * 255)
    bad_update = await client.put(
        f"/api/v1/lists/{created['id']}",
        json={"title": "renamed", "replies_policy": "all"},
        headers=owner.headers,
    )
    assert bad_update.status_code == 422
    shown = await client.get(f"/api/v1/lists/{created['id']}", headers=owner.headers)
    assert shown.json() == created

    assert (await client.get("/api/v1/lists/not-an-id", headers=owner.headers)).status_code == 404
    assert (await client.get("/api/v1/lists/12345", headers=owner.headers)).status_code == 404


async def test_a_member_may_own_at_most_fifty_lists(client: httpx.AsyncClient) -> None:
    owner = await make_member(components_of(client), "owner")
    for n in range(50):
        await make_list(client, owner, f"List {n}")
    refused = await client.post("/api/v1/lists", json={"title": "one more"}, headers=owner.headers)
    assert refused.status_code == 422
    assert len((await client.get("/api/v1/lists", headers=owner.headers)).json()) == 50


async def test_lists_need_a_user_token_with_the_lists_scope(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    reader = await make_member(components, "reader", scopes="read:statuses write:statuses")
    assert (await client.get("/api/v1/lists")).status_code == 401
    assert (await client.get("/api/v1/lists", headers=reader.headers)).status_code == 403
    refused = await client.post("/api/v1/lists", json={"title": "x"}, headers=reader.headers)
    assert refused.status_code == 403

    narrow = await make_member(components, "narrow", scopes="read:lists")
    assert (await client.get("/api/v1/lists", headers=narrow.headers)).status_code == 200
    denied = await client.post("/api/v1/lists", json={"title": "x"}, headers=narrow.headers)
    assert denied.status_code == 403


async def test_account_lists_are_the_callers_lists_holding_that_account(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    owner = await make_member(components, "owner")
    other = await make_member(components, "other")
    friend = await make_member(components, "friend")
    await follow(client, owner, friend)
    await follow(client, other, friend)
    birds = await make_list(client, owner, "Birds")
    await make_list(client, owner, "Empty")
    herons = await make_list(client, owner, "Herons")
    theirs = await make_list(client, other, "Theirs")
    for found in (birds, herons):
        assert (await add_members(client, owner, found["id"], friend)).status_code == 200
    assert (await add_members(client, other, theirs["id"], friend)).status_code == 200

    response = await client.get(
        f"/api/v1/accounts/{friend.account_id}/lists", headers=owner.headers
    )
    assert response.status_code == 200
    assert response.json() == [birds, herons]
    none = await client.get(f"/api/v1/accounts/{other.account_id}/lists", headers=owner.headers)
    assert none.json() == []
    missing = await client.get("/api/v1/accounts/999999/lists", headers=owner.headers)
    assert missing.status_code == 404
