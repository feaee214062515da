"""GET /api/v2/notifications: grouping (favourites and reblogs per status, follows per day,
everything else alone), deduplicated accounts and statuses, partial avatars, grouped_types."""

from __future__ import annotations

import httpx

from tests.api.notification_groups_helpers import components_of, groups_of, members, notify
from tests.notifications_support import make_status


async def test_likes_fold_into_one_group_follows_by_day_mentions_alone(
    client: httpx.AsyncClient,
) -> None:
    alice, *fans = await members(
        client, "alice", "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8"
    )
    components = components_of(client)
    post = await make_status(components, alice.account_id)
    other = await make_status(components, alice.account_id)
    for fan in fans:  # nine likes of one post
        await notify(client, alice, fan, "favourite", post)
    await notify(client, alice, fans[0], "favourite", other)
    await notify(client, alice, fans[0], "follow")
    await notify(client, alice, fans[1], "follow")
    mention_one = await make_status(components, fans[2].account_id, mentioned=(alice.account_id,))
    mention_two = await make_status(components, fans[3].account_id, mentioned=(alice.account_id,))
    await notify(client, alice, fans[2], "mention", mention_one)
    await notify(client, alice, fans[3], "mention", mention_two)

    response = await client.get("/api/v2/notifications", headers=alice.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert groups_of(body) == [
        ("mention", 1),
        ("mention", 1),
        ("follow", 2),
        ("favourite", 1),
        ("favourite", 9),
    ]
    mention, _, follows, liked_other, liked = body["notification_groups"]
    assert mention["group_key"].startswith("ungrouped-")
    assert mention["status_id"] == str(mention_two)
    assert mention["sample_account_ids"] == [str(fans[3].account_id)]
    assert follows["group_key"].startswith("follow-")
    assert "status_id" not in follows
    assert follows["sample_account_ids"] == [str(fans[1].account_id), str(fans[0].account_id)]
    assert liked_other["group_key"] == f"favourite-{other}"
    assert liked["group_key"] == f"favourite-{post}"
    assert liked["status_id"] == str(post)
    # The eight newest likers, newest first.
    assert liked["sample_account_ids"] == [str(fan.account_id) for fan in reversed(fans)][:8]
    # Page bounds as Mastodon: the page reaches down to the oldest group's newest
    # notification, so that group's page_min_id is its page_max_id while its count covers
    # the whole group; the follows both lie within the page.
    assert liked["page_max_id"] == liked["page_min_id"] == str(liked["most_recent_notification_id"])
    assert int(follows["page_min_id"]) < int(follows["page_max_id"])
    assert follows["page_max_id"] == str(follows["most_recent_notification_id"])
    assert liked["latest_page_notification_at"].endswith("Z")

    # Every account and status once.
    account_ids = [account["id"] for account in body["accounts"]]
    assert len(account_ids) == len(set(account_ids))
    assert set(account_ids) == {str(fan.account_id) for fan in fans}
    status_ids = [status["id"] for status in body["statuses"]]
    assert sorted(status_ids) == sorted(str(s) for s in (post, other, mention_one, mention_two))
    assert "partial_accounts" not in body


async def test_reblogs_group_apart_from_favourites_of_the_same_post(
    client: httpx.AsyncClient,
) -> None:
    alice, bob, carol = await members(client, "alice", "bob", "carol")
    post = await make_status(components_of(client), alice.account_id)
    await notify(client, alice, bob, "favourite", post)
    await notify(client, alice, bob, "reblog", post)
    await notify(client, alice, carol, "reblog", post)
    body = (await client.get("/api/v2/notifications", headers=alice.headers)).json()
    assert groups_of(body) == [("reblog", 2), ("favourite", 1)]
    assert [s["id"] for s in body["statuses"]] == [str(post)]  # the post once for both


async def test_grouped_types_limit_what_may_group(client: httpx.AsyncClient) -> None:
    alice, bob, carol = await members(client, "alice", "bob", "carol")
    post = await make_status(components_of(client), alice.account_id)
    await notify(client, alice, bob, "favourite", post)
    await notify(client, alice, carol, "favourite", post)
    await notify(client, alice, bob, "follow")
    await notify(client, alice, carol, "follow")
    url = "/api/v2/notifications"
    only_follows = await client.get(f"{url}?grouped_types[]=follow", headers=alice.headers)
    assert groups_of(only_follows.json()) == [("follow", 2), ("favourite", 1), ("favourite", 1)]
    ungrouped = only_follows.json()["notification_groups"][1]
    assert ungrouped["group_key"].startswith("ungrouped-")
    # An unknown name groups nothing, as Mastodon.
    nothing = await client.get(f"{url}?grouped_types[]=bogus", headers=alice.headers)
    assert len(nothing.json()["notification_groups"]) == 4
    # types[] / exclude_types[] / account_id still apply.
    follows = await client.get(f"{url}?types[]=follow", headers=alice.headers)
    assert groups_of(follows.json()) == [("follow", 2)]
    carols = await client.get(
        url, params={"account_id": str(carol.account_id)}, headers=alice.headers
    )
    assert groups_of(carols.json()) == [("follow", 1), ("favourite", 1)]


async def test_partial_avatars_send_full_accounts_only_for_each_groups_newest(
    client: httpx.AsyncClient,
) -> None:
    alice, bob, carol, dave = await members(client, "alice", "bob", "carol", "dave")
    post = await make_status(components_of(client), alice.account_id)
    for fan in (bob, carol, dave):
        await notify(client, alice, fan, "favourite", post)
    await notify(client, alice, carol, "follow")

    response = await client.get(
        "/api/v2/notifications?expand_accounts=partial_avatars", headers=alice.headers
    )
    body = response.json()
    assert [a["id"] for a in body["accounts"]] == [str(carol.account_id), str(dave.account_id)]
    assert [a["id"] for a in body["partial_accounts"]] == [str(bob.account_id)]
    assert set(body["partial_accounts"][0]) == {
        "id",
        "acct",
        "url",
        "avatar",
        "avatar_static",
        "locked",
        "bot",
    }
    full = await client.get("/api/v2/notifications?expand_accounts=full", headers=alice.headers)
    assert len(full.json()["accounts"]) == 3
    assert "partial_accounts" not in full.json()

    bad = await client.get("/api/v2/notifications?expand_accounts=all", headers=alice.headers)
    assert bad.status_code == 422
    assert "expand_accounts" in bad.json()["error"]


async def test_a_group_whose_status_is_hidden_is_left_out(client: httpx.AsyncClient) -> None:
    alice, bob = await members(client, "alice", "bob")
    components = components_of(client)
    hidden = await make_status(components, bob.account_id, visibility="direct")
    await notify(client, alice, bob, "mention", hidden)  # alice is not mentioned: not visible
    await notify(client, alice, bob, "follow")
    body = (await client.get("/api/v2/notifications", headers=alice.headers)).json()
    assert groups_of(body) == [("follow", 1)]
    assert body["statuses"] == []


async def test_needs_a_user_token_with_read_notifications(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v2/notifications")).status_code == 401
    (alice,) = await members(client, "alice")
    for path in ("/api/v2/notifications", "/api/v2/notifications/unread_count"):
        response = await client.get(path, headers=alice.headers)
        assert response.status_code == 200
