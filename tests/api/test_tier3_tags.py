"""Followed tags: follow/unfollow, the list, and tagged public posts in the home feed."""

from __future__ import annotations

import dataclasses

import httpx

from tests.api.tier3_helpers import components_of, post, settle
from tests.factories import make_member


async def _home(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    response = await client.get("/api/v1/timelines/home", headers=headers)
    assert response.status_code == 200, response.text
    return [status["id"] for status in response.json()]


async def test_following_a_tag_creates_it_and_lists_it(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    followed = await client.post("/api/v1/tags/Birding/follow", headers=alice.headers)
    assert followed.status_code == 200, followed.text
    tag = followed.json()
    assert tag["name"] == "Birding"
    assert tag["following"] is True
    assert len(tag["history"]) == 7
    assert tag["url"].endswith("/tags/Birding")
    again = await client.post("/api/v1/tags/birding/follow", headers=alice.headers)
    assert again.json()["id"] == tag["id"]  # one tag whatever the case

    await client.post("/api/v1/tags/godwits/follow", headers=alice.headers)
    listed = await client.get("/api/v1/followed_tags", headers=alice.headers)
    assert listed.status_code == 200
    assert [item["name"] for item in listed.json()] == ["godwits", "Birding"]
    assert all(item["following"] is True for item in listed.json())
    assert 'rel="next"' in listed.headers["link"]

    unfollowed = await client.post("/api/v1/tags/BIRDING/unfollow", headers=alice.headers)
    assert unfollowed.status_code == 200
    assert unfollowed.json()["following"] is False
    listed = await client.get("/api/v1/followed_tags", headers=alice.headers)
    assert [item["name"] for item in listed.json()] == ["godwits"]


async def test_invalid_tag_names_are_refused(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    for name in ("123", "a%20b", "-", "x" * 101):
        response = await client.post(f"/api/v1/tags/{name}/follow", headers=alice.headers)
        assert response.status_code == 422, (name, response.text)
    no_scope = await make_member(components_of(client), "bob", scopes="read")
    refused = await client.post("/api/v1/tags/birds/follow", headers=no_scope.headers)
    assert refused.status_code == 403


async def test_public_posts_with_a_followed_tag_reach_the_home_feed(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    # Batches of one: the tag fan-out job continues itself follower by follower.
    tags = components.services.tags
    tags.settings = dataclasses.replace(tags.settings, fanout_batch_size=1)
    alice = await make_member(components, "alice")
    carol = await make_member(components, "carol")
    bob = await make_member(components, "bob")
    blocker = await make_member(components, "dave")
    for member in (alice, carol, blocker):
        await client.post("/api/v1/tags/godwits/follow", headers=member.headers)
    await client.post(f"/api/v1/accounts/{bob.account_id}/block", headers=blocker.headers)

    tagged = await post(client, bob, "Look, #Godwits on the mudflat")
    unlisted = await post(client, bob, "more #godwits", visibility="unlisted")
    private = await post(client, bob, "secret #godwits", visibility="private")
    untagged = await post(client, bob, "no tag here")
    await settle(client)

    for member in (alice, carol):
        home = await _home(client, member.headers)
        assert tagged in home
        assert not {unlisted, private, untagged} & set(home)
    assert tagged not in await _home(client, blocker.headers)  # blocks still apply
