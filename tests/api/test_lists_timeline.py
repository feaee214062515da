"""The list timeline: contents, pagination, reblogs, mutes, blocks and visibility."""

from __future__ import annotations

import httpx
from sqlalchemy import event

from tests.api.lists_helpers import add_members, list_timeline, list_timeline_ids, make_list
from tests.api.timelines_helpers import components_of, follow, post, reblog, settle
from tests.factories import make_member


async def test_list_timeline_shows_members_posts_and_reblogs_only(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    owner = await make_member(components, "owner")
    ann = await make_member(components, "ann")
    bob = await make_member(components, "bob")  # followed, not in the list
    outsider = await make_member(components, "outsider")
    await follow(client, owner, ann)
    await follow(client, owner, bob)
    found = await make_list(client, owner)
    assert (await add_members(client, owner, found["id"], ann)).is_success

    bob_post = await post(client, bob, "bob speaks")
    outsider_post = await post(client, outsider, "outsider speaks")
    ann_public = await post(client, ann, "ann in public")
    ann_private = await post(client, ann, "ann to followers", visibility="private")
    ann_direct = await post(
        client, ann, "@outsider a secret", visibility="direct"
    )  # not for the list, though the owner follows ann
    boost_of_outsider = await reblog(client, ann, outsider_post["id"])
    boost_of_owner_post = await reblog(client, ann, (await post(client, owner, "mine"))["id"])
    await post(client, owner, "owner's own post")

    response = await list_timeline(client, owner, found["id"])
    body = response.json()
    assert [status["id"] for status in body] == [
        boost_of_outsider["id"],
        ann_private["id"],
        ann_public["id"],
    ]
    assert body[0]["reblog"]["id"] == outsider_post["id"]
    shown = {status["id"] for status in body}
    for hidden in (bob_post, ann_direct, boost_of_owner_post):
        assert hidden["id"] not in shown
    assert 'rel="next"' in response.headers["link"]


async def test_list_timeline_pages_over_many_posts_without_gaps_or_duplicates(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    owner = await make_member(components, "owner")
    members = [await make_member(components, f"author{n}") for n in range(3)]
    for member in members:
        await follow(client, owner, member)
    found = await make_list(client, owner)
    assert (await add_members(client, owner, found["id"], *members)).is_success
    posted = [(await post(client, members[n % 3], f"post {n}"))["id"] for n in range(45)]
    newest_first = list(reversed(posted))

    first = await list_timeline(client, owner, found["id"])
    assert len(first.json()) == 20  # Mastodon's default page
    seen = [status["id"] for status in first.json()]
    next_url = first.links["next"]["url"]
    while True:
        page = await client.get(next_url, headers=owner.headers)
        assert page.status_code == 200
        if not page.json():
            break
        seen += [status["id"] for status in page.json()]
        next_url = page.links["next"]["url"]
    assert seen == newest_first

    assert len(await list_timeline_ids(client, owner, found["id"], limit=100)) == 40
    assert await list_timeline_ids(client, owner, found["id"], limit=5) == newest_first[:5]
    # min_id: the page just above the cursor, still newest first.
    above = await list_timeline_ids(client, owner, found["id"], min_id=posted[9], limit=5)
    assert above == list(reversed(posted[10:15]))
    # since_id: the newest ones above the cursor.
    since = await list_timeline_ids(client, owner, found["id"], since_id=posted[39], limit=10)
    assert since == list(reversed(posted[40:]))
    window = await list_timeline_ids(
        client, owner, found["id"], max_id=posted[20], since_id=posted[15]
    )
    assert window == list(reversed(posted[16:20]))
    # Walking back up with the prev links reaches the newest post again.
    oldest_page = await list_timeline(client, owner, found["id"], max_id=posted[5])
    prev_url = oldest_page.links["prev"]["url"]
    climbed: list[str] = [status["id"] for status in oldest_page.json()]
    while True:
        page = await client.get(prev_url, headers=owner.headers)
        if not page.json():
            break
        climbed = [status["id"] for status in page.json()] + climbed
        prev_url = page.links["prev"]["url"]
    assert climbed == newest_first


async def test_muted_blocked_and_invisible_posts_are_left_out(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    owner = await make_member(components, "owner")
    ann = await make_member(components, "ann")
    muted = await make_member(components, "muted")
    hater = await make_member(components, "hater")
    await follow(client, owner, ann)
    await follow(client, owner, muted)
    found = await make_list(client, owner)
    assert (await add_members(client, owner, found["id"], ann, muted)).is_success

    hater_post = await post(client, hater, "from someone who blocks the owner")
    from_muted = await post(client, muted, "muted voice")
    boost_of_blocker = await reblog(client, ann, hater_post["id"])
    muted_original = await post(client, await make_member(components, "x"), "x")
    boost_of_muted = await reblog(client, muted, muted_original["id"])
    plain = await post(client, ann, "plain")
    assert (
        await client.post(f"/api/v1/accounts/{muted.account_id}/mute", headers=owner.headers)
    ).is_success
    assert (
        await client.post(f"/api/v1/accounts/{owner.account_id}/block", headers=hater.headers)
    ).is_success

    ids = await list_timeline_ids(client, owner, found["id"])
    assert ids == [plain["id"]]
    for hidden in (from_muted, boost_of_blocker, boost_of_muted):
        assert hidden["id"] not in ids


async def test_reblogs_follow_the_owners_show_reblogs_and_are_de_duplicated(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    owner = await make_member(components, "owner")
    ann = await make_member(components, "ann")
    quiet = await make_member(components, "quiet")  # followed with reblogs off
    author = await make_member(components, "author")
    await follow(client, owner, ann)
    await follow(client, owner, quiet, reblogs=False)
    found = await make_list(client, owner)
    assert (await add_members(client, owner, found["id"], ann, quiet)).is_success

    original = await post(client, ann, "ann's post")
    ann_boost_target = await post(client, author, "worth a boost")
    quiet_boost = await reblog(client, quiet, ann_boost_target["id"])
    boost_of_listed_post = await reblog(client, quiet, original["id"])
    ann_boost = await reblog(client, ann, ann_boost_target["id"])

    ids = await list_timeline_ids(client, owner, found["id"])
    assert ids == [ann_boost["id"], original["id"]]
    assert quiet_boost["id"] not in ids
    assert boost_of_listed_post["id"] not in ids

    # With reblogs shown, a boost of a post already on the page gives way to the post.
    await follow(client, owner, quiet, reblogs=True)
    ids = await list_timeline_ids(client, owner, found["id"])
    assert ids == [quiet_boost["id"], original["id"]]


async def test_list_timeline_uses_a_bounded_number_of_queries(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    owner = await make_member(components, "owner")
    members = [await make_member(components, f"author{n}") for n in range(6)]
    for member in members:
        await follow(client, owner, member)
    await settle(client)
    found = await make_list(client, owner, replies_policy="list")
    assert (await add_members(client, owner, found["id"], *members)).is_success
    statements: list[str] = []
    engines = {components.database._write_engine, components.database._read_engine}

    async def count_for_page(per_author: int) -> int:
        for member in members:
            for n in range(per_author):
                parent = await post(client, members[0], f"thread {n}")
                await post(client, member, f"reply {n}", in_reply_to_id=parent["id"])
        await settle(client)  # no fan-out job may run inside the measured request
        await components.job_runner.stop()  # nor the runner's polling
        statements.clear()

        def record(*args: object) -> None:
            statements.append(str(args[2]))

        for engine in engines:
            event.listen(engine.sync_engine, "before_cursor_execute", record)
        try:
            assert len(await list_timeline_ids(client, owner, found["id"], limit=40)) > 0
        finally:
            for engine in engines:
                event.remove(engine.sync_engine, "before_cursor_execute", record)
        return len(statements)

    few = await count_for_page(1)
    many = await count_for_page(4)
    assert many <= few + 2, statements  # not one query per status or per member
    assert many < 40
