"""Filters applied on read: ``filtered`` in the right contexts, "hide" server-side, expiry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from sqlalchemy import event, update

from godwit.storage.schema import filters
from tests.api.timelines_helpers import components_of, follow, post, reblog, settle
from tests.factories import Member, make_member

ALL_CONTEXTS = ["home", "notifications", "public", "thread", "account"]


async def add_filter(
    client: httpx.AsyncClient,
    member: Member,
    words: list[str],
    *,
    context: list[str],
    action: str = "warn",
    whole_word: bool = True,
) -> dict[str, Any]:
    response = await client.post(
        "/api/v2/filters",
        json={
            "title": f"{action} {' '.join(words)}",
            "context": context,
            "filter_action": action,
            "keywords_attributes": [{"keyword": w, "whole_word": whole_word} for w in words],
        },
        headers=member.headers,
    )
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


async def get_json(client: httpx.AsyncClient, path: str, member: Member) -> Any:
    response = await client.get(path, headers=member.headers)
    assert response.status_code == 200, response.text
    return response.json()


def by_id(statuses: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {status["id"]: status for status in statuses}


async def setup(client: httpx.AsyncClient) -> tuple[Member, Member]:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await follow(client, alice, bob)
    return alice, bob


async def surfaces(
    client: httpx.AsyncClient, alice: Member, bob: Member, root_id: str
) -> dict[str, list[dict[str, Any]]]:
    """Every list surface, keyed by filter context (notifications: their statuses)."""
    notifications = await get_json(client, "/api/v1/notifications", alice)
    return {
        "home": await get_json(client, "/api/v1/timelines/home", alice),
        "public": await get_json(client, "/api/v1/timelines/public", alice),
        "tag": await get_json(client, "/api/v1/timelines/tag/food", alice),
        "thread": (await get_json(client, f"/api/v1/statuses/{root_id}/context", alice))[
            "descendants"
        ],
        "account": await get_json(client, f"/api/v1/accounts/{bob.account_id}/statuses", alice),
        "notifications": [n["status"] for n in notifications if n["status"] is not None],
    }


async def test_warn_fills_filtered_only_in_its_contexts(client: httpx.AsyncClient) -> None:
    alice, bob = await setup(client)
    flt = await add_filter(client, alice, ["kale"], context=["home", "thread"])
    root = await post(client, bob, "root post")
    kale = await post(client, bob, "@alice I love KALE #food", in_reply_to_id=root["id"])
    plain = await post(client, bob, "@alice nothing to see #food", in_reply_to_id=root["id"])
    await settle(client)

    seen = await surfaces(client, alice, bob, root["id"])
    for context, statuses in seen.items():
        shown = by_id(statuses)
        assert kale["id"] in shown, context  # warn never removes
        assert shown[plain["id"]]["filtered"] == [], context
        filtered = shown[kale["id"]]["filtered"]
        if context in ("home", "thread"):
            assert filtered == [
                {
                    "filter": {
                        "id": flt["id"],
                        "title": flt["title"],
                        "context": ["home", "thread"],
                        "expires_at": None,
                        "filter_action": "warn",
                    },
                    "keyword_matches": ["kale"],
                    "status_matches": None,
                }
            ], context
        else:
            assert filtered == [], context
    # A single status is shown in the thread context.
    single = await get_json(client, f"/api/v1/statuses/{kale['id']}", alice)
    assert [r["filter"]["id"] for r in single["filtered"]] == [flt["id"]]
    # Anonymous readers get no per-viewer fields at all.
    anonymous = (await client.get(f"/api/v1/statuses/{kale['id']}")).json()
    assert "filtered" not in anonymous


async def test_warn_in_every_context(client: httpx.AsyncClient) -> None:
    alice, bob = await setup(client)
    await add_filter(client, alice, ["kale"], context=ALL_CONTEXTS, action="blur")
    root = await post(client, bob, "root post")
    kale = await post(client, bob, "@alice kale again #food", in_reply_to_id=root["id"])
    await settle(client)
    for context, statuses in (await surfaces(client, alice, bob, root["id"])).items():
        filtered = by_id(statuses)[kale["id"]]["filtered"]
        assert [r["filter"]["filter_action"] for r in filtered] == ["blur"], context


async def test_hide_removes_the_status_everywhere(client: httpx.AsyncClient) -> None:
    alice, bob = await setup(client)
    await add_filter(client, alice, ["kale"], context=ALL_CONTEXTS, action="hide")
    root = await post(client, bob, "root post")
    kale = await post(client, bob, "@alice kale is great #food", in_reply_to_id=root["id"])
    plain = await post(client, bob, "@alice spinach is great #food", in_reply_to_id=root["id"])
    await settle(client)

    for context, statuses in (await surfaces(client, alice, bob, root["id"])).items():
        shown = by_id(statuses)
        assert kale["id"] not in shown, context
        assert plain["id"] in shown, context
    # Asked for by id, it is answered, with the hide filter in ``filtered``.
    single = await get_json(client, f"/api/v1/statuses/{kale['id']}", alice)
    assert [r["filter"]["filter_action"] for r in single["filtered"]] == ["hide"]
    # Others are not affected by alice's filter.
    carol = await make_member(components_of(client), "carol")
    public = by_id(await get_json(client, "/api/v1/timelines/public", carol))
    assert kale["id"] in public
    assert public[kale["id"]]["filtered"] == []


async def test_hide_in_one_context_only(client: httpx.AsyncClient) -> None:
    alice, bob = await setup(client)
    await add_filter(client, alice, ["kale"], context=["public"], action="hide")
    kale = await post(client, bob, "kale #food")
    await settle(client)
    assert kale["id"] not in by_id(await get_json(client, "/api/v1/timelines/public", alice))
    assert kale["id"] not in by_id(await get_json(client, "/api/v1/timelines/tag/food", alice))
    home = by_id(await get_json(client, "/api/v1/timelines/home", alice))
    assert home[kale["id"]]["filtered"] == []


async def test_status_filter_hides_the_status_and_its_reblogs(client: httpx.AsyncClient) -> None:
    alice, bob = await setup(client)
    carol = await make_member(components_of(client), "carol")
    await follow(client, alice, carol)
    target = await post(client, bob, "just this one")
    other = await post(client, bob, "another one")
    boosted = await reblog(client, carol, target["id"])
    flt = await client.post(
        "/api/v2/filters",
        json={"title": "that post", "context": ["home", "account"], "filter_action": "hide"},
        headers=alice.headers,
    )
    filter_id = flt.json()["id"]
    added = await client.post(
        f"/api/v2/filters/{filter_id}/statuses",
        json={"status_id": target["id"]},
        headers=alice.headers,
    )
    assert added.status_code == 200, added.text
    await settle(client)
    carols = f"/api/v1/accounts/{carol.account_id}/statuses"
    home = by_id(await get_json(client, "/api/v1/timelines/home", alice))
    assert target["id"] not in home
    assert boosted["id"] not in home
    assert other["id"] in home
    assert boosted["id"] not in by_id(await get_json(client, carols, alice))

    # As a warning, the status match is reported on the reblog and on its original.
    await client.put(
        f"/api/v2/filters/{filter_id}", json={"filter_action": "warn"}, headers=alice.headers
    )
    shown = by_id(await get_json(client, carols, alice))
    for entry in (shown[boosted["id"]], shown[boosted["id"]]["reblog"]):
        (result,) = entry["filtered"]
        assert result["status_matches"] == [target["id"]]
        assert result["keyword_matches"] is None


async def test_expired_filters_are_ignored(client: httpx.AsyncClient) -> None:
    alice, bob = await setup(client)
    flt = await add_filter(client, alice, ["kale"], context=["home"], action="hide")
    kale = await post(client, bob, "kale")
    await settle(client)
    assert kale["id"] not in by_id(await get_json(client, "/api/v1/timelines/home", alice))
    async with components_of(client).database.write() as conn:
        await conn.execute(
            update(filters)
            .where(filters.c.id == int(flt["id"]))
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
    home = by_id(await get_json(client, "/api/v1/timelines/home", alice))
    assert home[kale["id"]]["filtered"] == []


async def test_whole_word_and_substring_keywords(client: httpx.AsyncClient) -> None:
    alice, bob = await setup(client)
    await add_filter(client, alice, ["cat"], context=["home"], action="hide")
    await add_filter(client, alice, ["dog"], context=["home"], whole_word=False)
    concat = await post(client, bob, "concatenate these")
    cat = await post(client, bob, "my Cat, asleep")
    hotdogs = await post(client, bob, "HOTDOGS for lunch")
    warned_cw = await post(client, bob, "hidden text", spoiler_text="dog pictures")
    await settle(client)
    home = by_id(await get_json(client, "/api/v1/timelines/home", alice))
    assert cat["id"] not in home
    assert home[concat["id"]]["filtered"] == []
    assert home[hotdogs["id"]]["filtered"][0]["keyword_matches"] == ["dog"]
    assert home[warned_cw["id"]]["filtered"][0]["keyword_matches"] == ["dog"]


async def test_own_statuses_are_never_filtered(client: httpx.AsyncClient) -> None:
    alice, _ = await setup(client)
    await add_filter(client, alice, ["kale"], context=ALL_CONTEXTS, action="hide")
    mine = await post(client, alice, "my kale recipe")
    await settle(client)
    home = by_id(await get_json(client, "/api/v1/timelines/home", alice))
    assert home[mine["id"]]["filtered"] == []


async def test_home_with_filters_stays_a_bounded_number_of_queries(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    authors = [await make_member(components, f"author{n}") for n in range(4)]
    for author in authors:
        await follow(client, alice, author)
    engines = {components.database._write_engine, components.database._read_engine}

    async def queries_for_home(filter_count: int, posts_per_author: int) -> int:
        for n in range(filter_count):
            await add_filter(client, alice, [f"word{n}", f"other{n}"], context=["home"])
        for author in authors:
            for n in range(posts_per_author):
                await post(client, author, f"post {n} mentioning word{n}")
        await settle(client)
        statements: list[str] = []

        def record(*args: object) -> None:
            statements.append(str(args[2]))

        for engine in engines:
            event.listen(engine.sync_engine, "before_cursor_execute", record)
        try:
            shown = await get_json(client, "/api/v1/timelines/home?limit=40", alice)
        finally:
            for engine in engines:
                event.remove(engine.sync_engine, "before_cursor_execute", record)
        assert any(status["filtered"] for status in shown)
        assert sum("filter" in statement for statement in statements) <= 1, statements
        return len(statements)

    few = await queries_for_home(1, 1)
    many = await queries_for_home(10, 5)
    assert many <= few + 2
