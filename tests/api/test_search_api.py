"""GET /api/v2/search and GET /api/v1/tags/:name through the HTTP API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.statuses_helpers import block, components_of, follow, mute, post
from tests.factories import Member, make_member


async def _search(client: httpx.AsyncClient, member: Member | None, **query: Any) -> dict[str, Any]:
    headers = member.headers if member else {}
    response = await client.get("/api/v2/search", params=query, headers=headers)
    assert response.status_code == 200, response.text
    found = response.json()
    assert isinstance(found, dict)
    return found


def _ids(found: dict[str, Any], kind: str = "statuses") -> list[str]:
    return [entity["id"] for entity in found[kind]]


async def test_statuses_are_found_by_words_and_rendered(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    posted = await post(client, alice, status="Watching the Godwit migration at dawn")
    await post(client, alice, status="Nothing to see")
    found = await _search(client, bob, q="godwit dawn", type="statuses")
    assert _ids(found) == [posted["id"]]
    assert found["statuses"][0]["account"]["id"] == str(alice.account_id)
    assert found["accounts"] == []
    assert found["hashtags"] == []


async def test_hidden_statuses_never_leak(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    author = await make_member(components, "author")
    reader = await make_member(components, "reader")
    shown = await post(client, author, status="pelican public")
    await post(client, author, status="pelican private", visibility="private")
    await post(client, author, status="pelican direct", visibility="direct")
    deleted = await post(client, author, status="pelican deleted")
    response = await client.delete(f"/api/v1/statuses/{deleted['id']}", headers=author.headers)
    assert response.status_code == 200
    assert _ids(await _search(client, reader, q="pelican")) == [shown["id"]]
    assert len(_ids(await _search(client, author, q="pelican"))) == 3  # own private/direct
    await mute(components, reader, author)
    assert _ids(await _search(client, reader, q="pelican")) == []
    other = await make_member(components, "other")
    await block(components, author, other)
    assert _ids(await _search(client, other, q="pelican")) == []


async def test_followers_see_private_posts_and_account_id_restricts(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    author = await make_member(components, "author")
    someone = await make_member(components, "someone")
    reader = await make_member(components, "reader")
    private = await post(client, author, status="heron private", visibility="private")
    theirs = await post(client, someone, status="heron elsewhere")
    await follow(components, reader, author)
    assert set(_ids(await _search(client, reader, q="heron"))) == {private["id"], theirs["id"]}
    only_author = await _search(client, reader, q="heron", account_id=str(author.account_id))
    assert _ids(only_author) == [private["id"]]


async def test_offset_pages_through_results(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    for index in range(3):
        await post(client, alice, status=f"plover number {index}")
    first = _ids(await _search(client, alice, q="plover", type="statuses", limit=2))
    second = _ids(await _search(client, alice, q="plover", type="statuses", limit=2, offset=2))
    assert len(first) == 2
    assert len(second) == 1
    assert not set(first) & set(second)


async def test_max_id_and_min_id_bound_the_statuses_found(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    made = [(await post(client, alice, status=f"dunlin number {n}"))["id"] for n in range(3)]
    oldest, middle, newest = made

    older = await _search(client, alice, q="dunlin", type="statuses", max_id=newest)
    assert set(_ids(older)) == {oldest, middle}
    newer = await _search(client, alice, q="dunlin", type="statuses", min_id=oldest)
    assert set(_ids(newer)) == {middle, newest}
    between = await _search(
        client, alice, q="dunlin", type="statuses", min_id=oldest, max_id=newest
    )
    assert _ids(between) == [middle]


async def test_accounts_by_name_and_exact_address(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    await make_member(components, "alicea")
    found = await _search(client, None, q="@alice@godwit.test", type="accounts")
    assert _ids(found, "accounts")[0] == str(alice.account_id)
    assert found["statuses"] == []


async def test_without_a_token_statuses_are_not_searched_and_offset_is_refused(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    await post(client, alice, status="sandpiper #shorebirds")
    found = await _search(client, None, q="sandpiper")
    assert found["statuses"] == []
    response = await client.get("/api/v2/search", params={"q": "alice", "offset": 1})
    assert response.status_code == 401
    response = await client.get("/api/v2/search", params={"q": "alice", "resolve": "true"})
    assert response.status_code == 401


async def test_bad_parameters_are_422(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    for query in ({"q": "x", "type": "people"}, {"q": ""}, {"q": "x", "limit": 0}):
        response = await client.get("/api/v2/search", params=query, headers=alice.headers)
        assert response.status_code == 422, query


async def test_hashtags_with_history_and_the_tag_entity(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await post(client, alice, status="Out early #Shorebirds")
    await post(client, bob, status="me too #shorebirds")
    found = await _search(client, bob, q="#shore", type="hashtags")
    assert [tag["name"] for tag in found["hashtags"]] == ["Shorebirds"]
    history = found["hashtags"][0]["history"]
    assert len(history) == 7
    assert history[0]["uses"] == "2"
    assert history[0]["accounts"] == "2"
    assert int(history[0]["day"]) > int(history[1]["day"])
    response = await client.get("/api/v1/tags/SHOREBIRDS")
    assert response.status_code == 200
    tag = response.json()
    assert tag["name"] == "Shorebirds"
    assert tag["following"] is None  # no viewer: unknown, as in the trends
    assert tag["url"] == "https://godwit.test/tags/Shorebirds"
    missing = await client.get("/api/v1/tags/nosuchtag")
    assert missing.status_code == 404


async def test_following_is_the_viewers_in_search_and_the_tag_entity(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await post(client, alice, status="#Shorebirds and #shorelines")
    followed = await client.post("/api/v1/tags/shorebirds/follow", headers=bob.headers)
    assert followed.status_code == 200
    found = await _search(client, bob, q="#shore", type="hashtags")
    following = {tag["name"]: tag["following"] for tag in found["hashtags"]}
    assert following == {"Shorebirds": True, "shorelines": False}
    theirs = await _search(client, alice, q="#shore", type="hashtags")
    assert {tag["following"] for tag in theirs["hashtags"]} == {False}
    anonymous = await _search(client, None, q="#shore", type="hashtags")
    assert {tag["following"] for tag in anonymous["hashtags"]} == {None}
    shown = await client.get("/api/v1/tags/SHOREBIRDS", headers=bob.headers)
    assert shown.status_code == 200
    assert shown.json()["following"] is True
    other = await client.get("/api/v1/tags/shorelines", headers=bob.headers)
    assert other.json()["following"] is False


async def test_an_edit_is_searchable_by_its_new_words_only(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    posted = await post(client, alice, status="first draft about curlews")
    edited = await client.put(
        f"/api/v1/statuses/{posted['id']}",
        json={"status": "final text about avocets"},
        headers=alice.headers,
    )
    assert edited.status_code == 200, edited.text
    assert _ids(await _search(client, alice, q="avocets")) == [posted["id"]]
    assert _ids(await _search(client, alice, q="curlews")) == []
