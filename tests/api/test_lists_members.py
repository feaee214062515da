"""List members: only followed accounts, removal on unfollow and block, member pages."""

from __future__ import annotations

import httpx

from tests.api.lists_helpers import add_members, make_list, member_ids
from tests.api.timelines_helpers import components_of, follow
from tests.factories import Member, make_member


async def _owner_following(client: httpx.AsyncClient, *names: str) -> tuple[Member, list[Member]]:
    components = components_of(client)
    owner = await make_member(components, "owner")
    followed = [await make_member(components, name) for name in names]
    for member in followed:
        await follow(client, owner, member)
    return owner, followed


async def test_add_and_remove_followed_accounts(client: httpx.AsyncClient) -> None:
    owner, (ann, bob, cat) = await _owner_following(client, "ann", "bob", "cat")
    found = await make_list(client, owner)
    added = await add_members(client, owner, found["id"], ann, bob)
    assert added.status_code == 200
    assert added.json() == {}
    # Adding again (with one new account) is harmless, as with any idempotent client retry.
    assert (await add_members(client, owner, found["id"], bob, cat)).status_code == 200
    ids = await member_ids(client, owner, found["id"])
    assert sorted(ids) == sorted(str(m.account_id) for m in (ann, bob, cat))

    removed = await client.request(
        "DELETE",
        f"/api/v1/lists/{found['id']}/accounts",
        data={"account_ids[]": [str(bob.account_id), "424242"]},
        headers=owner.headers,
    )
    assert removed.status_code == 200
    assert removed.json() == {}
    ids = await member_ids(client, owner, found["id"])
    assert sorted(ids) == sorted(str(m.account_id) for m in (ann, cat))


async def test_accounts_not_followed_are_refused_and_nothing_is_added(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    owner, (friend,) = await _owner_following(client, "friend")
    stranger = await make_member(components, "stranger")
    locked = await make_member(components, "locked", locked=True)
    pending = await client.post(
        f"/api/v1/accounts/{locked.account_id}/follow", headers=owner.headers
    )
    assert pending.json()["requested"] is True
    found = await make_list(client, owner)

    for refused_member in (stranger, locked, owner):
        refused = await add_members(client, owner, found["id"], friend, refused_member)
        assert refused.status_code == 422, refused.text
        assert "error" in refused.json()
    unknown = await client.post(
        f"/api/v1/lists/{found['id']}/accounts",
        json={"account_ids": [str(friend.account_id), "999999"]},
        headers=owner.headers,
    )
    assert unknown.status_code == 404
    malformed = await client.post(
        f"/api/v1/lists/{found['id']}/accounts",
        json={"account_ids": ["not an id"]},
        headers=owner.headers,
    )
    assert malformed.status_code == 422
    assert await member_ids(client, owner, found["id"]) == []


async def test_unfollowing_removes_the_account_from_the_owners_lists_only(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    owner, (friend, other_friend) = await _owner_following(client, "friend", "otherfriend")
    someone = await make_member(components, "someone")
    await follow(client, someone, friend)
    first = await make_list(client, owner, "First")
    second = await make_list(client, owner, "Second")
    theirs = await make_list(client, someone, "Theirs")
    for found in (first, second):
        assert (await add_members(client, owner, found["id"], friend, other_friend)).is_success
    assert (await add_members(client, someone, theirs["id"], friend)).is_success

    response = await client.post(
        f"/api/v1/accounts/{friend.account_id}/unfollow", headers=owner.headers
    )
    assert response.status_code == 200
    for found in (first, second):
        assert await member_ids(client, owner, found["id"]) == [str(other_friend.account_id)]
    assert await member_ids(client, someone, theirs["id"]) == [str(friend.account_id)]

    # Following again does not bring the membership back: it was removed, not hidden.
    await follow(client, owner, friend)
    assert await member_ids(client, owner, first["id"]) == [str(other_friend.account_id)]


async def test_blocking_either_way_removes_the_account_from_lists(
    client: httpx.AsyncClient,
) -> None:
    owner, (blocked, blocker, kept) = await _owner_following(client, "blocked", "blocker", "kept")
    found = await make_list(client, owner)
    assert (await add_members(client, owner, found["id"], blocked, blocker, kept)).is_success

    by_owner = await client.post(
        f"/api/v1/accounts/{blocked.account_id}/block", headers=owner.headers
    )
    assert by_owner.status_code == 200
    of_owner = await client.post(
        f"/api/v1/accounts/{owner.account_id}/block", headers=blocker.headers
    )
    assert of_owner.status_code == 200
    assert await member_ids(client, owner, found["id"]) == [str(kept.account_id)]


async def test_members_page_with_link_headers_and_limit_zero_for_all(
    client: httpx.AsyncClient,
) -> None:
    names = [f"m{n}" for n in range(5)]
    owner, followed = await _owner_following(client, *names)
    found = await make_list(client, owner)
    for member in followed:  # one at a time: membership order is addition order
        assert (await add_members(client, owner, found["id"], member)).is_success
    newest_first = [str(member.account_id) for member in reversed(followed)]

    first = await client.get(
        f"/api/v1/lists/{found['id']}/accounts", params={"limit": 2}, headers=owner.headers
    )
    assert [a["id"] for a in first.json()] == newest_first[:2]
    assert 'rel="next"' in first.headers["link"]
    seen = [a["id"] for a in first.json()]
    next_url = first.links["next"]["url"]
    while True:
        page = await client.get(next_url, headers=owner.headers)
        assert page.status_code == 200
        if not page.json():
            break
        seen += [a["id"] for a in page.json()]
        next_url = page.links["next"]["url"]
    assert seen == newest_first

    everything = await client.get(
        f"/api/v1/lists/{found['id']}/accounts", params={"limit": 0}, headers=owner.headers
    )
    assert [a["id"] for a in everything.json()] == newest_first
    assert "link" not in everything.headers
    assert everything.json()[0]["username"] == "m4"
