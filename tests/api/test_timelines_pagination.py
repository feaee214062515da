"""Pagination of timelines as Mastodon does it: max_id, since_id, min_id, limit, Link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from godwit.config import Settings
from tests.api.timelines_helpers import components_of, follow, post, settle, timeline
from tests.factories import Member, make_member

TOTAL = 45


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(run_jobs_in_process=False)


def links(response: httpx.Response) -> dict[str, dict[str, list[str]]]:
    found = {}
    for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers.get("link", "")):
        found[rel] = parse_qs(urlsplit(url).query)
    return found


async def fill(client: httpx.AsyncClient) -> tuple[Member, list[str]]:
    """A reader whose home holds 45 posts (newest last in the returned list)."""
    components = components_of(client)
    reader = await make_member(components, "reader")
    author = await make_member(components, "author")
    await follow(client, reader, author)
    posted = [(await post(client, author, f"post number {n}"))["id"] for n in range(TOTAL)]
    await settle(client)
    return reader, posted


@pytest.mark.parametrize("path", ["/api/v1/timelines/home", "/api/v1/timelines/public"])
async def test_walking_back_with_the_link_header_sees_every_post_once(
    client: httpx.AsyncClient, path: str
) -> None:
    reader, posted = await fill(client)
    newest_first = posted[::-1]
    seen: list[str] = []
    query: dict[str, object] = {"limit": 20}
    pages = 0
    while True:
        response = await timeline(client, path, reader, **query)
        page = [status["id"] for status in response.json()]
        if not page:
            break
        pages += 1
        seen += page
        next_query = links(response)["next"]
        assert next_query["limit"] == ["20"]
        query = {"limit": 20, "max_id": next_query["max_id"][0]}
    assert pages == 3
    assert seen == newest_first  # no gap, no duplicate, newest first


async def test_walking_forward_with_min_id_and_prev_links(client: httpx.AsyncClient) -> None:
    reader, posted = await fill(client)
    response = await timeline(client, "/api/v1/timelines/home", reader, limit=20, min_id=posted[0])
    # The page just above min_id, shown newest first.
    assert [s["id"] for s in response.json()] == posted[1:21][::-1]
    seen = [s["id"] for s in response.json()]
    while True:
        prev = links(response)["prev"]
        response = await timeline(
            client, "/api/v1/timelines/home", reader, limit=20, min_id=prev["min_id"][0]
        )
        page = [s["id"] for s in response.json()]
        if not page:
            assert "link" not in response.headers
            break
        seen = page + seen
    assert seen == posted[1:][::-1]


async def test_since_id_gives_the_newest_above(client: httpx.AsyncClient) -> None:
    reader, posted = await fill(client)
    response = await timeline(
        client, "/api/v1/timelines/home", reader, limit=5, since_id=posted[10]
    )
    # since_id: the newest ones, not those just above the cursor.
    assert [s["id"] for s in response.json()] == posted[-5:][::-1]
    response = await timeline(
        client, "/api/v1/timelines/home", reader, since_id=posted[40], max_id=posted[44]
    )
    assert [s["id"] for s in response.json()] == posted[41:44][::-1]


async def test_limit_defaults_and_caps(client: httpx.AsyncClient) -> None:
    reader, _ = await fill(client)
    assert len((await timeline(client, "/api/v1/timelines/home", reader)).json()) == 20
    capped = await timeline(client, "/api/v1/timelines/home", reader, limit=100)
    assert len(capped.json()) == 40
    bad = await client.get(
        "/api/v1/timelines/home", params={"max_id": "abc"}, headers=reader.headers
    )
    assert bad.status_code == 422
    bad = await client.get("/api/v1/timelines/public", params={"limit": "many"})
    assert bad.status_code == 422
