"""API v2 pagination (Mastodon's walk and Link header), one group, its accounts, dismissing
a group, the unread group count, and senders hidden by blocks and mutes."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.notification_groups_helpers import components_of, groups_of, members, notify
from tests.factories import Member
from tests.notifications_support import block, make_status, mute


async def _scene(client: httpx.AsyncClient) -> tuple[Member, dict[str, Any]]:
    """Oldest first: 1 fav P (a), 2 follow (a), 3 fav P (b), 4 mention (c), 5 reblog P (d),
    6 fav Q (e), 7 fav P (f). Returns alice and the ids by step number."""
    alice, a, b, c, d, e, f = await members(client, "alice", "a", "b", "c", "d", "e", "f")
    components = components_of(client)
    post_p = await make_status(components, alice.account_id)
    post_q = await make_status(components, alice.account_id)
    mention = await make_status(components, c.account_id, mentioned=(alice.account_id,))
    await notify(client, alice, a, "favourite", post_p)
    await notify(client, alice, a, "follow")
    await notify(client, alice, b, "favourite", post_p)
    await notify(client, alice, c, "mention", mention)
    await notify(client, alice, d, "reblog", post_p)
    await notify(client, alice, e, "favourite", post_q)
    await notify(client, alice, f, "favourite", post_p)
    listed = (await client.get("/api/v1/notifications", headers=alice.headers)).json()
    ids = {7 - index: int(item["id"]) for index, item in enumerate(listed)}
    people = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
    return alice, {"ids": ids, "P": post_p, "Q": post_q, "people": people}


async def test_pages_walk_groups_and_link_on(client: httpx.AsyncClient) -> None:
    alice, scene = await _scene(client)
    ids = scene["ids"]
    pages: list[list[tuple[str, int]]] = []
    bounds: list[list[tuple[int, int]]] = []
    url: str | None = "/api/v2/notifications?limit=2"
    while url is not None:
        response = await client.get(url, headers=alice.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        if not body["notification_groups"]:
            assert "link" not in response.headers
            break
        pages.append(groups_of(body))
        bounds.append(
            [(int(g["page_min_id"]), int(g["page_max_id"])) for g in body["notification_groups"]]
        )
        url = response.links["next"]["url"]
        assert len(pages) < 10
    # Mastodon's counts reach below the page: a group met again further down counts less.
    assert pages == [
        [("favourite", 3), ("favourite", 1)],
        [("reblog", 1), ("mention", 1)],
        [("favourite", 2), ("follow", 1)],
        [("favourite", 1)],
    ]
    assert bounds[0] == [(ids[7], ids[7]), (ids[6], ids[6])]
    assert bounds[2] == [(ids[3], ids[3]), (ids[2], ids[2])]

    # min_id: the groups immediately newer, newest first.
    newer = await client.get(
        f"/api/v2/notifications?min_id={ids[4]}&limit=2", headers=alice.headers
    )
    assert groups_of(newer.json()) == [("favourite", 1), ("reblog", 1)]
    assert [g["status_id"] for g in newer.json()["notification_groups"]] == [
        str(scene["Q"]),
        str(scene["P"]),
    ]
    assert f"min_id={ids[6]}" in newer.links["prev"]["url"]
    assert f"max_id={ids[5]}" in newer.links["next"]["url"]
    # since_id: the newest groups, down to the bound.
    since = await client.get(f"/api/v2/notifications?since_id={ids[5]}", headers=alice.headers)
    assert groups_of(since.json()) == [("favourite", 3), ("favourite", 1)]


async def test_one_group_and_its_accounts(client: httpx.AsyncClient) -> None:
    alice, scene = await _scene(client)
    people, ids = scene["people"], scene["ids"]
    key = f"favourite-{scene['P']}"
    response = await client.get(f"/api/v2/notifications/{key}", headers=alice.headers)
    assert response.status_code == 200, response.text
    (group,) = response.json()["notification_groups"]
    assert group["notifications_count"] == 3
    assert group["most_recent_notification_id"] == ids[7]
    assert group["sample_account_ids"] == [str(people[n].account_id) for n in "fba"]
    assert "page_min_id" not in group
    assert "latest_page_notification_at" not in group
    assert [s["id"] for s in response.json()["statuses"]] == [str(scene["P"])]

    mention = await client.get(f"/api/v2/notifications/ungrouped-{ids[4]}", headers=alice.headers)
    assert groups_of(mention.json()) == [("mention", 1)]
    # An ungrouped-<id> key naming a grouped notification answers its group (as Mastodon).
    via_one = await client.get(f"/api/v2/notifications/ungrouped-{ids[3]}", headers=alice.headers)
    assert via_one.json()["notification_groups"][0]["group_key"] == key

    accounts_url = f"/api/v2/notifications/{key}/accounts"
    first = await client.get(f"{accounts_url}?limit=2", headers=alice.headers)
    assert [a["id"] for a in first.json()] == [str(people[n].account_id) for n in "fb"]
    rest = await client.get(first.links["next"]["url"], headers=alice.headers)
    assert [a["id"] for a in rest.json()] == [str(people["a"].account_id)]

    for missing in ("favourite-1", "ungrouped-1", "ungrouped-x", "x" * 65, "nul%00"):
        gone = await client.get(f"/api/v2/notifications/{missing}", headers=alice.headers)
        assert gone.status_code == 404, missing
        assert gone.json()["error"]
    # Someone else's group is not found.
    other = people["a"]
    assert (
        await client.get(f"/api/v2/notifications/{key}", headers=other.headers)
    ).status_code == 404
    assert (await client.get(f"{accounts_url}", headers=other.headers)).json() == []


async def test_dismissing_a_group_removes_all_of_it(client: httpx.AsyncClient) -> None:
    alice, scene = await _scene(client)
    ids = scene["ids"]
    key = f"favourite-{scene['P']}"
    someone = scene["people"]["a"]
    # Another member's dismiss touches nothing of alice's.
    assert (
        await client.post(f"/api/v2/notifications/{key}/dismiss", headers=someone.headers)
    ).status_code == 200
    dismissed = await client.post(f"/api/v2/notifications/{key}/dismiss", headers=alice.headers)
    assert dismissed.status_code == 200
    assert dismissed.json() == {}
    left = (await client.get("/api/v1/notifications", headers=alice.headers)).json()
    assert sorted(int(item["id"]) for item in left) == sorted(ids[n] for n in (2, 4, 5, 6))
    assert (
        await client.get(f"/api/v2/notifications/{key}", headers=alice.headers)
    ).status_code == 404

    one = await client.post(
        f"/api/v2/notifications/ungrouped-{ids[4]}/dismiss", headers=alice.headers
    )
    assert one.status_code == 200
    body = (await client.get("/api/v2/notifications", headers=alice.headers)).json()
    assert groups_of(body) == [("favourite", 1), ("reblog", 1), ("follow", 1)]
    # Unknown keys are no error, as in Mastodon.
    for unknown in ("favourite-1", "ungrouped-nope"):
        response = await client.post(
            f"/api/v2/notifications/{unknown}/dismiss", headers=alice.headers
        )
        assert response.status_code == 200
    # Dismissing needs write:notifications.
    assert (await client.post(f"/api/v2/notifications/{key}/dismiss")).status_code == 401


async def test_unread_group_count_after_the_marker(client: httpx.AsyncClient) -> None:
    alice, scene = await _scene(client)
    ids = scene["ids"]
    marked = await client.post(
        "/api/v1/markers",
        data={"notifications[last_read_id]": str(ids[2])},
        headers=alice.headers,
    )
    assert marked.status_code == 200
    url = "/api/v2/notifications/unread_count"

    async def count(query: str = "") -> int:
        response = await client.get(f"{url}{query}", headers=alice.headers)
        assert response.status_code == 200, response.text
        return int(response.json()["count"])

    # After step 2: fav P twice (3, 7), mention, reblog, fav Q: four groups, five in v1.
    assert await count() == 4
    v1 = await client.get("/api/v1/notifications/unread_count", headers=alice.headers)
    assert v1.json() == {"count": 5}
    assert await count("?limit=2") == 2
    assert await count("?grouped_types[]=follow") == 5
    assert await count("?types[]=favourite") == 2
    assert await count("?exclude_types[]=favourite") == 2
    assert await count(f"?account_id={scene['people']['f'].account_id}") == 1


async def test_blocked_and_muted_senders_leave_groups_and_pages(
    client: httpx.AsyncClient,
) -> None:
    alice, scene = await _scene(client)
    people = scene["people"]
    components = components_of(client)
    await mute(components, alice.account_id, people["b"].account_id)
    await block(components, people["f"].account_id, alice.account_id)  # f blocks alice
    await block(components, alice.account_id, people["d"].account_id)
    key = f"favourite-{scene['P']}"
    body = (await client.get("/api/v2/notifications", headers=alice.headers)).json()
    assert groups_of(body) == [("favourite", 1), ("mention", 1), ("follow", 1), ("favourite", 1)]
    favourites_of_p = body["notification_groups"][-1]
    assert favourites_of_p["group_key"] == key
    assert favourites_of_p["sample_account_ids"] == [str(people["a"].account_id)]
    hidden = {str(people[n].account_id) for n in "bdf"}
    assert not hidden & {account["id"] for account in body["accounts"]}
    (group,) = (await client.get(f"/api/v2/notifications/{key}", headers=alice.headers)).json()[
        "notification_groups"
    ]
    assert group["notifications_count"] == 1
    accounts = (
        await client.get(f"/api/v2/notifications/{key}/accounts", headers=alice.headers)
    ).json()
    assert [a["id"] for a in accounts] == [str(people["a"].account_id)]
    unread = await client.get("/api/v2/notifications/unread_count", headers=alice.headers)
    assert unread.json() == {"count": 4}
