"""replies_policy on list timelines, and exclusive lists keeping members out of home."""

from __future__ import annotations

import httpx

from tests.api.lists_helpers import add_members, list_timeline_ids, make_list
from tests.api.timelines_helpers import components_of, follow, home_ids, post, settle
from tests.factories import make_member


async def test_replies_policy_decides_which_replies_a_list_shows(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    owner = await make_member(components, "owner")
    ann = await make_member(components, "ann")  # in the lists
    bob = await make_member(components, "bob")  # in the lists
    carl = await make_member(components, "carl")  # followed, not in the lists
    dora = await make_member(components, "dora")  # not followed
    for member in (ann, bob, carl):
        await follow(client, owner, member)
    lists = {
        policy: await make_list(client, owner, policy, replies_policy=policy)
        for policy in ("followed", "list", "none")
    }
    for found in lists.values():
        assert (await add_members(client, owner, found["id"], ann, bob)).is_success

    async def reply_to(author_post: dict[str, str], text: str) -> str:
        reply = await post(client, ann, text, in_reply_to_id=author_post["id"])
        return reply["id"]

    plain = (await post(client, ann, "not a reply"))["id"]
    to_self = await reply_to(await post(client, ann, "thread start"), "thread goes on")
    to_member = await reply_to(await post(client, bob, "bob here"), "@bob hi")
    to_followed = await reply_to(await post(client, carl, "carl here"), "@carl hi")
    to_stranger = await reply_to(await post(client, dora, "dora here"), "@dora hi")
    to_owner = await reply_to(await post(client, owner, "owner here"), "@owner hi")
    replies = {to_member, to_followed, to_stranger, to_owner}
    expected = {
        "followed": {to_member, to_followed, to_owner},
        "list": {to_member, to_owner},
        "none": set(),
    }
    for policy, found in lists.items():
        ids = set(await list_timeline_ids(client, owner, found["id"], limit=40))
        # Neither is a reply to someone else.
        assert {plain, to_self} <= ids, policy
        assert ids & replies == expected[policy], policy

    # Changing the policy changes the timeline at once (it is read at request time).
    updated = await client.put(
        f"/api/v1/lists/{lists['none']['id']}",
        json={"replies_policy": "followed"},
        headers=owner.headers,
    )
    assert updated.status_code == 200
    ids = set(await list_timeline_ids(client, owner, lists["none"]["id"], limit=40))
    assert ids & replies == expected["followed"]


async def test_exclusive_lists_keep_their_members_out_of_home(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    owner = await make_member(components, "owner")
    listed = await make_member(components, "listed")
    regular = await make_member(components, "regular")
    in_plain_list = await make_member(components, "plainlisted")
    for member in (listed, regular, in_plain_list):
        await follow(client, owner, member)
    exclusive = await make_list(client, owner, "Exclusive", exclusive=True)
    plain = await make_list(client, owner, "Plain")
    assert (await add_members(client, owner, exclusive["id"], listed)).is_success
    assert (await add_members(client, owner, plain["id"], in_plain_list)).is_success

    stranger = await make_member(components, "stranger")
    regular_post = (await post(client, regular, "regular"))["id"]
    stranger_post = (await post(client, stranger, "worth a boost"))["id"]
    plain_post = (await post(client, in_plain_list, "plain"))["id"]
    listed_posts = [(await post(client, listed, f"listed {n}"))["id"] for n in range(3)]
    listed_boost = await client.post(
        f"/api/v1/statuses/{stranger_post}/reblog", headers=listed.headers
    )
    assert listed_boost.status_code == 200
    own = (await post(client, owner, "own"))["id"]
    await settle(client)

    home = await home_ids(client, owner)
    assert home == [own, plain_post, regular_post]
    listed_ids = await list_timeline_ids(client, owner, exclusive["id"])
    assert listed_ids == [listed_boost.json()["id"], *reversed(listed_posts)]
    # The hidden entries fill the first window: the page is refilled from older ones.
    assert await home_ids(client, owner, limit=3) == [own, plain_post, regular_post]

    # Made non-exclusive, the list no longer hides its members from home.
    updated = await client.put(
        f"/api/v1/lists/{exclusive['id']}", json={"exclusive": False}, headers=owner.headers
    )
    assert updated.json()["exclusive"] is False
    home = await home_ids(client, owner, limit=40)
    assert set(listed_posts) | {listed_boost.json()["id"]} <= set(home)
    # Another reader following the same account is not affected by the owner's list.
    other = await make_member(components, "other")
    await follow(client, other, listed)
    await settle(client)
    assert set(listed_posts) <= set(await home_ids(client, other, limit=40))
