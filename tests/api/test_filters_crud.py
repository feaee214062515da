"""Filters CRUD: v2 filters with keywords and statuses sub-resources, v1 filters, ownership."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.timelines_helpers import components_of, post
from tests.factories import Member, make_member


async def members(client: httpx.AsyncClient) -> tuple[Member, Member]:
    components = components_of(client)
    return await make_member(components, "alice"), await make_member(components, "mallory")


async def create(client: httpx.AsyncClient, member: Member, **body: Any) -> dict[str, Any]:
    response = await client.post("/api/v2/filters", json=body, headers=member.headers)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_v2_filter_lifecycle(client: httpx.AsyncClient) -> None:
    alice, _ = await members(client)
    created = await create(
        client,
        alice,
        title="Politics",
        context=["home", "public"],
        filter_action="hide",
        expires_in=3600,
        keywords_attributes=[{"keyword": "election", "whole_word": False}, {"keyword": "vote"}],
    )
    assert created["title"] == "Politics"
    assert created["context"] == ["home", "public"]
    assert created["filter_action"] == "hide"
    assert created["expires_at"] is not None
    assert [(k["keyword"], k["whole_word"]) for k in created["keywords"]] == [
        ("election", False),
        ("vote", True),  # whole_word defaults to true, as in Mastodon
    ]
    assert created["statuses"] == []
    filter_id = created["id"]

    listed = (await client.get("/api/v2/filters", headers=alice.headers)).json()
    assert [f["id"] for f in listed] == [filter_id]
    shown = (await client.get(f"/api/v2/filters/{filter_id}", headers=alice.headers)).json()
    assert shown == created

    election, vote = created["keywords"]
    response = await client.put(
        f"/api/v2/filters/{filter_id}",
        json={
            "title": "News",
            "filter_action": "warn",
            "expires_in": "",
            "keywords_attributes": [
                {"id": election["id"], "_destroy": True},
                {"id": vote["id"], "keyword": "ballot", "whole_word": False},
                {"keyword": "poll"},
            ],
        },
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["title"] == "News"
    assert updated["filter_action"] == "warn"
    assert updated["context"] == ["home", "public"]  # unchanged when not sent
    assert updated["expires_at"] is None  # an empty expires_in clears it
    assert sorted((k["keyword"], k["whole_word"]) for k in updated["keywords"]) == [
        ("ballot", False),
        ("poll", True),
    ]

    response = await client.delete(f"/api/v2/filters/{filter_id}", headers=alice.headers)
    assert response.status_code == 200
    assert response.json() == {}
    missing = await client.get(f"/api/v2/filters/{filter_id}", headers=alice.headers)
    assert missing.status_code == 404
    assert (await client.get("/api/v2/filters", headers=alice.headers)).json() == []


async def test_v2_filter_form_encoded_keywords_attributes(client: httpx.AsyncClient) -> None:
    alice, _ = await members(client)
    response = await client.post(
        "/api/v2/filters",
        data={
            "title": "Form",
            "context[]": ["thread", "account"],
            "keywords_attributes[][keyword]": "spoiler",
            "keywords_attributes[][whole_word]": "false",
        },
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["context"] == ["thread", "account"]
    assert created["filter_action"] == "warn"
    assert [(k["keyword"], k["whole_word"]) for k in created["keywords"]] == [("spoiler", False)]


async def test_v2_filter_validation(client: httpx.AsyncClient) -> None:
    alice, _ = await members(client)
    bad_bodies: list[dict[str, Any]] = [
        {"context": ["home"]},  # no title
        {"title": "x"},  # no context
        {"title": "x", "context": ["nowhere"]},
        {"title": "x", "context": ["home"], "filter_action": "explode"},
        {"title": "x", "context": ["home"], "expires_in": -1},
        {"title": "x", "context": ["home"], "keywords_attributes": [{"keyword": " "}]},
        {"title": "x", "context": ["home"], "keywords_attributes": ["nope"]},
    ]
    for body in bad_bodies:
        response = await client.post("/api/v2/filters", json=body, headers=alice.headers)
        assert response.status_code == 422, (body, response.text)
    assert (await client.get("/api/v2/filters", headers=alice.headers)).json() == []


async def test_keywords_sub_resource(client: httpx.AsyncClient) -> None:
    alice, mallory = await members(client)
    flt = await create(client, alice, title="Food", context=["home"])
    base = f"/api/v2/filters/{flt['id']}/keywords"
    response = await client.post(base, json={"keyword": "kale"}, headers=alice.headers)
    assert response.status_code == 200, response.text
    kale = response.json()
    assert kale["keyword"] == "kale"
    assert kale["whole_word"] is True
    assert (await client.get(base, headers=alice.headers)).json() == [kale]

    path = f"/api/v2/filters/keywords/{kale['id']}"
    assert (await client.get(path, headers=alice.headers)).json() == kale
    response = await client.put(
        path, json={"keyword": "Kale chips", "whole_word": False}, headers=alice.headers
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"id": kale["id"], "keyword": "Kale chips", "whole_word": False}

    # Someone else's keyword and filter are not found, whatever the method.
    assert (await client.get(path, headers=mallory.headers)).status_code == 404
    assert (
        await client.put(path, json={"keyword": "x"}, headers=mallory.headers)
    ).status_code == 404
    assert (await client.delete(path, headers=mallory.headers)).status_code == 404
    assert (await client.get(base, headers=mallory.headers)).status_code == 404
    stolen = await client.post(base, json={"keyword": "x"}, headers=mallory.headers)
    assert stolen.status_code == 404

    assert (await client.delete(path, headers=alice.headers)).json() == {}
    assert (await client.get(base, headers=alice.headers)).json() == []
    assert (await client.get(path, headers=alice.headers)).status_code == 404


async def test_statuses_sub_resource(client: httpx.AsyncClient) -> None:
    alice, mallory = await members(client)
    status = await post(client, mallory, "a post to filter")
    flt = await create(client, alice, title="That one", context=["public"])
    base = f"/api/v2/filters/{flt['id']}/statuses"
    response = await client.post(base, json={"status_id": status["id"]}, headers=alice.headers)
    assert response.status_code == 200, response.text
    entry = response.json()
    assert entry["status_id"] == status["id"]
    again = await client.post(base, json={"status_id": status["id"]}, headers=alice.headers)
    assert again.status_code == 422
    unknown = await client.post(base, json={"status_id": "12345"}, headers=alice.headers)
    assert unknown.status_code == 404
    assert (await client.get(base, headers=alice.headers)).json() == [entry]
    shown = (await client.get(f"/api/v2/filters/{flt['id']}", headers=alice.headers)).json()
    assert shown["statuses"] == [entry]

    path = f"/api/v2/filters/statuses/{entry['id']}"
    assert (await client.get(path, headers=alice.headers)).json() == entry
    assert (await client.get(path, headers=mallory.headers)).status_code == 404
    assert (await client.delete(path, headers=mallory.headers)).status_code == 404
    assert (await client.get(base, headers=mallory.headers)).status_code == 404
    assert (await client.delete(path, headers=alice.headers)).json() == entry
    assert (await client.get(base, headers=alice.headers)).json() == []


async def test_filters_are_private_to_their_owner(client: httpx.AsyncClient) -> None:
    alice, mallory = await members(client)
    flt = await create(client, alice, title="Mine", context=["home"])
    path = f"/api/v2/filters/{flt['id']}"
    assert (await client.get("/api/v2/filters", headers=mallory.headers)).json() == []
    assert (await client.get(path, headers=mallory.headers)).status_code == 404
    assert (await client.put(path, json={"title": "x"}, headers=mallory.headers)).status_code == 404
    assert (await client.delete(path, headers=mallory.headers)).status_code == 404
    assert (await client.get(path, headers=alice.headers)).json()["title"] == "Mine"
    assert (await client.get("/api/v2/filters/not-an-id", headers=alice.headers)).status_code == 404


async def test_scopes_are_enforced(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    reader = await make_member(components, "reader", scopes="read:filters")
    assert (await client.get("/api/v2/filters", headers=reader.headers)).status_code == 200
    assert (await client.get("/api/v1/filters", headers=reader.headers)).status_code == 200
    refused = await client.post(
        "/api/v2/filters", json={"title": "x", "context": ["home"]}, headers=reader.headers
    )
    assert refused.status_code == 403
    assert (await client.get("/api/v2/filters")).status_code == 401


async def test_v1_filters_map_to_single_keyword_filters(client: httpx.AsyncClient) -> None:
    alice, mallory = await members(client)
    response = await client.post(
        "/api/v1/filters",
        json={
            "phrase": "eclipse",
            "context": ["home", "notifications"],
            "irreversible": True,
            "whole_word": False,
            "expires_in": 600,
        },
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    v1 = response.json()
    assert v1["phrase"] == "eclipse"
    assert v1["context"] == ["home", "notifications"]
    assert v1["irreversible"] is True
    assert v1["whole_word"] is False
    assert v1["expires_at"] is not None

    # The same filter, seen through v2: titled by the phrase, action hide, one keyword.
    (v2,) = (await client.get("/api/v2/filters", headers=alice.headers)).json()
    assert v2["title"] == "eclipse"
    assert v2["filter_action"] == "hide"
    assert v2["keywords"] == [{"id": v1["id"], "keyword": "eclipse", "whole_word": False}]

    assert (await client.get("/api/v1/filters", headers=alice.headers)).json() == [v1]
    path = f"/api/v1/filters/{v1['id']}"
    assert (await client.get(path, headers=alice.headers)).json() == v1
    response = await client.put(
        path,
        json={"phrase": "solar eclipse", "context": ["public"], "irreversible": False},
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["phrase"] == "solar eclipse"
    assert changed["context"] == ["public"]
    assert changed["irreversible"] is False
    assert changed["whole_word"] is False
    assert changed["expires_at"] == v1["expires_at"]  # not sent: kept

    assert (await client.get(path, headers=mallory.headers)).status_code == 404
    assert (
        await client.put(path, json={"phrase": "x"}, headers=mallory.headers)
    ).status_code == 404
    assert (await client.delete(path, headers=mallory.headers)).status_code == 404

    assert (await client.delete(path, headers=alice.headers)).json() == {}
    assert (await client.get("/api/v1/filters", headers=alice.headers)).json() == []
    # The filter had nothing else in it, so it went too.
    assert (await client.get("/api/v2/filters", headers=alice.headers)).json() == []


async def test_v1_lists_every_keyword_and_validates(client: httpx.AsyncClient) -> None:
    alice, _ = await members(client)
    await create(
        client,
        alice,
        title="Two words",
        context=["thread"],
        keywords_attributes=[{"keyword": "one"}, {"keyword": "two"}],
    )
    await create(client, alice, title="No keywords", context=["thread"])
    listed = (await client.get("/api/v1/filters", headers=alice.headers)).json()
    assert sorted(item["phrase"] for item in listed) == ["one", "two"]
    for body in ({"context": ["home"]}, {"phrase": "x"}, {"phrase": "x", "context": ["mars"]}):
        response = await client.post("/api/v1/filters", json=body, headers=alice.headers)
        assert response.status_code == 422, body
