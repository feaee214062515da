"""GET /api/v1/timelines/home: fan-out on write, read-time merge, filtering."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import event

from godwit.config import Settings
from godwit.domain.pagination import PageRequest
from tests.api.timelines_helpers import (
    components_of,
    follow,
    follow_directly,
    home_ids,
    post,
    reblog,
    settle,
)
from tests.factories import make_member


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Jobs run only when a test settles them, so every wait is explicit.
    return settings.replace(run_jobs_in_process=False)


async def test_home_shows_own_and_followed_posts_not_others(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    await follow(client, alice, bob)
    await settle(client)
    own = await post(client, alice, "mine")
    followed = await post(client, bob, "from bob")
    await post(client, carol, "from a stranger")
    await settle(client)
    assert await home_ids(client, alice) == [followed["id"], own["id"]]
    assert await home_ids(client, carol) != []  # her own post
    response = await client.get("/api/v1/timelines/home", headers=alice.headers)
    body = response.json()[0]
    assert body["account"]["id"] == str(bob.account_id)
    assert body["content"]


async def test_home_needs_a_member_token_with_read_statuses(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    assert (await client.get("/api/v1/timelines/home")).status_code == 401
    writer = await make_member(components, "writer", scopes="write")
    response = await client.get("/api/v1/timelines/home", headers=writer.headers)
    assert response.status_code == 403
    reader = await make_member(components, "reader", scopes="read:statuses")
    response = await client.get("/api/v1/timelines/home", headers=reader.headers)
    assert response.status_code == 200


async def test_follow_backfills_and_unfollow_removes(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    old = await post(client, bob, "before the follow")
    await settle(client)
    await follow(client, alice, bob)
    await settle(client)
    assert await home_ids(client, alice) == [old["id"]]
    response = await client.post(
        f"/api/v1/accounts/{bob.account_id}/unfollow", headers=alice.headers
    )
    assert response.status_code == 200
    assert await home_ids(client, alice) == []


async def test_reblogs_are_de_duplicated(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    await follow(client, alice, bob)
    await follow(client, alice, carol)
    await settle(client)
    original = await post(client, bob, "worth sharing")
    await settle(client)
    await reblog(client, carol, original["id"])
    await settle(client)
    assert await home_ids(client, alice) == [original["id"]]


async def test_reblog_of_unseen_post_appears_once(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    stranger = await make_member(components, "stranger")
    await follow(client, alice, bob)
    await follow(client, alice, carol)
    await settle(client)
    original = await post(client, stranger, "news")
    first = await reblog(client, bob, original["id"])
    await settle(client)  # fan-outs running at once race; the first to commit wins
    await reblog(client, carol, original["id"])
    await settle(client)
    response = await client.get("/api/v1/timelines/home", headers=alice.headers)
    [entry] = response.json()
    assert entry["id"] == first["id"]
    assert entry["reblog"]["id"] == original["id"]


async def test_blocked_and_muted_authors_are_hidden(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await follow(client, alice, bob)
    await settle(client)
    hidden = await post(client, bob, "soon hidden")
    await settle(client)
    assert await home_ids(client, alice) == [hidden["id"]]
    response = await client.post(f"/api/v1/accounts/{bob.account_id}/mute", headers=alice.headers)
    assert response.status_code == 200
    assert await home_ids(client, alice) == []


async def test_reblogs_of_a_muted_author_are_hidden_but_the_post_opens_by_id(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    await follow(client, alice, carol)
    original = await post(client, bob, "muted soon")
    await settle(client)
    shared = await reblog(client, carol, original["id"])
    await settle(client)
    assert await home_ids(client, alice) == [shared["id"]]
    response = await client.post(f"/api/v1/accounts/{bob.account_id}/mute", headers=alice.headers)
    assert response.status_code == 200
    assert await home_ids(client, alice) == []
    opened = await client.get(f"/api/v1/statuses/{original['id']}", headers=alice.headers)
    assert opened.status_code == 200  # a mute hides from lists, not from a direct look


async def test_deleted_posts_leave_the_feed(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    gone = await post(client, alice, "oops")
    await settle(client)
    response = await client.delete(f"/api/v1/statuses/{gone['id']}", headers=alice.headers)
    assert response.status_code == 200
    assert await home_ids(client, alice) == []


@pytest.mark.parametrize("threshold", [1])
async def test_big_accounts_are_merged_at_read_time(
    client: httpx.AsyncClient, settings: Settings, threshold: int
) -> None:
    components = components_of(client)
    components.services.timelines.settings = settings.replace(fanout_read_threshold=threshold)
    star = await make_member(components, "star")
    fans = [await make_member(components, f"fan{n}") for n in range(3)]
    small = await make_member(components, "small")
    for fan in fans:
        await follow_directly(components, fan, star)
    await follow_directly(components, fans[0], small)
    star_post = await post(client, star, "to my many fans")
    small_post = await post(client, small, "to my one fan")
    private = await post(client, star, "followers only", visibility="private")
    reply = await post(client, star, "a reply to a stranger", in_reply_to_id=small_post["id"])
    await settle(client)
    # Nothing written for the star's followers…
    async with components.store.read() as tx:
        assert await tx.feeds.page(fans[1].account_id, PageRequest(limit=40)) == []
    # …yet their home shows the star's posts, in order with the written ones.
    assert await home_ids(client, fans[1]) == [private["id"], star_post["id"]]
    assert await home_ids(client, fans[0]) == [
        reply["id"],  # fans[0] follows small, the replied-to account
        private["id"],
        small_post["id"],
        star_post["id"],
    ]
    outsider = await make_member(components, "outsider")
    assert await home_ids(client, outsider) == []


async def test_posts_of_an_account_that_falls_below_the_threshold_stay_at_home(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    components = components_of(client)
    components.services.timelines.settings = settings.replace(fanout_read_threshold=2)
    star = await make_member(components, "star")
    fans = [await make_member(components, f"fan{n}") for n in range(3)]
    for fan in fans:
        await follow_directly(components, fan, star)
    while_big = await post(client, star, "posted with three followers")
    await settle(client)
    async with components.store.read() as tx:
        assert await tx.feeds.page(fans[0].account_id, PageRequest(limit=40)) == []
    left = await client.post(
        f"/api/v1/accounts/{star.account_id}/unfollow", headers=fans[2].headers
    )
    assert left.status_code == 200
    # Two followers: fanned out again, and still above the merge floor (half of two).
    after = await post(client, star, "posted with two followers")
    await settle(client)
    async with components.store.read() as tx:
        written = await tx.feeds.page(fans[0].account_id, PageRequest(limit=40))
    assert [str(entry) for entry in written] == [after["id"]]
    assert await home_ids(client, fans[0]) == [after["id"], while_big["id"]]
    assert await home_ids(client, fans[2]) == []


async def test_home_page_uses_a_bounded_number_of_queries(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    statement_log: list[str] = []
    components = components_of(client)
    components.services.timelines.settings = settings.replace(fanout_read_threshold=2)
    reader = await make_member(components, "reader")
    authors = [await make_member(components, f"author{n}") for n in range(6)]
    star = authors[0]
    for extra in range(3):
        await follow_directly(components, await make_member(components, f"x{extra}"), star)
    for author in authors:
        await follow_directly(components, reader, author)

    async def count_for_page(per_author: int) -> int:
        for author in authors:
            for n in range(per_author):
                await post(client, author, f"post {n} by {author.username}")
        await settle(client)
        engines = {components.database._write_engine, components.database._read_engine}
        statement_log.clear()

        def record(*args: object) -> None:
            statement_log.append(str(args[2]))

        for engine in engines:
            event.listen(engine.sync_engine, "before_cursor_execute", record)
        try:
            assert len(await home_ids(client, reader, limit=40)) > 0
        finally:
            for engine in engines:
                event.remove(engine.sync_engine, "before_cursor_execute", record)
        return len(statement_log)

    few = await count_for_page(1)
    many = await count_for_page(6)
    assert many <= few + 2, statement_log  # not one query per status or per author
    assert many < 40
