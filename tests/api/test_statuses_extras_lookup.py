"""GET /api/v1/statuses?id[]= and POST /api/v1/accounts/:id/note."""

from __future__ import annotations

import httpx

from godwit.storage.schema import account_notes
from tests.api.statuses_helpers import components_of, post, row_count
from tests.factories import make_member


async def test_statuses_by_id_keep_order_and_drop_hidden(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    first = await post(client, alice, status="first")
    second = await post(client, alice, status="second")
    private = await post(client, alice, status="followers only", visibility="private")
    wanted = [second["id"], "12345", private["id"], first["id"]]

    response = await client.get("/api/v1/statuses", params={"id[]": wanted}, headers=bob.headers)
    assert response.status_code == 200, response.text
    assert [entity["id"] for entity in response.json()] == [second["id"], first["id"]]
    own = await client.get("/api/v1/statuses", params={"id[]": wanted}, headers=alice.headers)
    assert [entity["id"] for entity in own.json()] == [second["id"], private["id"], first["id"]]
    anonymous = await client.get("/api/v1/statuses", params={"id[]": [first["id"]]})
    assert [entity["id"] for entity in anonymous.json()] == [first["id"]]


async def test_statuses_by_id_carry_every_active_filter_and_keep_hidden_ones(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    spoiler = await post(client, alice, status="the ending of the film")
    hidden = await post(client, alice, status="crypto giveaway")
    plain = await post(client, alice, status="nothing to see")
    filters = {}
    for title, words, context, action in (
        ("spoilers", ["ending"], ["home"], "warn"),
        ("scams", ["crypto"], ["notifications"], "hide"),
    ):
        created = await client.post(
            "/api/v2/filters",
            json={
                "title": title,
                "context": context,
                "filter_action": action,
                "keywords_attributes": [{"keyword": word} for word in words],
            },
            headers=bob.headers,
        )
        assert created.status_code == 200, created.text
        filters[title] = created.json()["id"]
    wanted = [spoiler["id"], hidden["id"], plain["id"]]
    response = await client.get("/api/v1/statuses", params={"id[]": wanted}, headers=bob.headers)
    assert response.status_code == 200, response.text
    shown = {entity["id"]: entity["filtered"] for entity in response.json()}
    # Every status asked for is answered, whatever the filters' contexts and actions: the
    # client decides where to show them from each result's filter.context and action.
    assert list(shown) == wanted
    assert [result["filter"]["id"] for result in shown[spoiler["id"]]] == [filters["spoilers"]]
    assert shown[spoiler["id"]][0]["keyword_matches"] == ["ending"]
    assert shown[spoiler["id"]][0]["filter"]["context"] == ["home"]
    assert [result["filter"]["id"] for result in shown[hidden["id"]]] == [filters["scams"]]
    assert shown[hidden["id"]][0]["filter"]["filter_action"] == "hide"
    assert shown[plain["id"]] == []
    # The author's own statuses are never filtered; anonymous callers get no ``filtered``.
    own = await client.get("/api/v1/statuses", params={"id[]": wanted}, headers=alice.headers)
    assert all(entity["filtered"] == [] for entity in own.json())
    anonymous = await client.get("/api/v1/statuses", params={"id[]": wanted})
    assert all("filtered" not in entity for entity in anonymous.json())


async def test_statuses_by_id_bad_input(client: httpx.AsyncClient) -> None:
    too_many = await client.get("/api/v1/statuses", params={"id[]": [str(n) for n in range(1, 22)]})
    assert too_many.status_code == 422
    not_ids = await client.get("/api/v1/statuses", params={"id[]": ["abc"]})
    assert not_ids.status_code == 422
    none = await client.get("/api/v1/statuses")
    assert none.status_code == 200
    assert none.json() == []


async def test_private_note_in_relationship(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    url = f"/api/v1/accounts/{bob.account_id}/note"

    noted = await client.post(url, json={"comment": "met at the fair"}, headers=alice.headers)
    assert noted.status_code == 200, noted.text
    assert noted.json()["note"] == "met at the fair"
    assert noted.json()["id"] == str(bob.account_id)
    changed = await client.post(url, json={"comment": "changed"}, headers=alice.headers)
    assert changed.json()["note"] == "changed"
    rels = await client.get(
        "/api/v1/accounts/relationships",
        params={"id[]": [str(bob.account_id)]},
        headers=alice.headers,
    )
    assert rels.json()[0]["note"] == "changed"
    # Private: bob's own view of alice shows no note.
    theirs = await client.get(
        "/api/v1/accounts/relationships",
        params={"id[]": [str(alice.account_id)]},
        headers=bob.headers,
    )
    assert theirs.json()[0]["note"] == ""

    cleared = await client.post(url, json={"comment": ""}, headers=alice.headers)
    assert cleared.json()["note"] == ""
    assert await row_count(components, account_notes) == 0


async def test_note_bad_input(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    too_long = await client.post(
        f"/api/v1/accounts/{alice.account_id}/note",
        json={"comment": "x" * 2001},
        headers=alice.headers,
    )
    assert too_long.status_code == 422
    missing = await client.post(
        "/api/v1/accounts/12345/note", json={"comment": "hi"}, headers=alice.headers
    )
    assert missing.status_code == 404
    anonymous = await client.post(f"/api/v1/accounts/{alice.account_id}/note", json={})
    assert anonymous.status_code == 401
    assert await row_count(components, account_notes) == 0
