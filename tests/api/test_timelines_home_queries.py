"""N+1 guard for GET /api/v1/timelines/home: a page costs the same number of SQL
statements whatever its size and however many distinct authors it shows.

Each timeline holds the same cycle of statuses (plain, with a mention and a hashtag, a
reply to the author's own plain post, a reblog of an outsider's), so only the size of the
page or the number of authors changes between the counted requests. (A reply to someone
else costs one more, constant, follow check: compositions must match, not just sizes.)
Run on SQLite and, in CI, on PostgreSQL.
"""

from __future__ import annotations

import httpx
import pytest

from godwit.app import Components
from godwit.config import Settings
from tests.api.timelines_helpers import (
    components_of,
    follow_directly,
    post,
    reblog,
    settle,
)
from tests.factories import Member, make_member
from tests.support.query_count import counting_statements, shapes

PAGE_SIZES = (5, 20, 40)
POSTS = 48  # enough for the biggest page


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Jobs run only when the test settles them: no job runner queries while counting.
    return settings.replace(run_jobs_in_process=False)


async def _timeline_of(
    client: httpx.AsyncClient, components: Components, name: str, authors: int
) -> Member:
    """A reader following ``authors`` members who together wrote POSTS statuses."""
    reader = await make_member(components, f"{name}reader")
    writers = [await make_member(components, f"{name}author{n}") for n in range(authors)]
    outsider = await make_member(components, f"{name}outsider")
    mentioned = await make_member(components, f"{name}mentioned")
    for writer in writers:
        await follow_directly(components, reader, writer)
    originals = [await post(client, outsider, f"original {n}") for n in range(POSTS // 4)]
    previous: dict[str, object] | None = None
    for n in range(POSTS):
        writer = writers[(n // 4) % authors]  # each writer writes whole cycles of four
        kind = n % 4
        if kind == 0:
            previous = await post(client, writer, f"plain post {n}")
        elif kind == 1:
            await post(client, writer, f"hello @{mentioned.username} #topic{n % 3}")
        elif kind == 2:
            assert previous is not None
            await post(client, writer, f"reply {n}", in_reply_to_id=previous["id"])
        else:
            await reblog(client, writer, originals[n // 4]["id"])
    await settle(client)
    return reader


async def _count(client: httpx.AsyncClient, reader: Member, limit: int) -> tuple[int, list[str]]:
    with counting_statements() as statements:
        response = await client.get(
            "/api/v1/timelines/home", params={"limit": limit}, headers=reader.headers
        )
    assert response.status_code == 200, response.text
    assert len(response.json()) == limit
    return len(statements), shapes(statements)


@pytest.mark.parametrize("merged", [False, True], ids=["fanned-out", "merged-at-read"])
async def test_home_page_query_count_is_constant_in_page_size_and_authors(
    client: httpx.AsyncClient, merged: bool
) -> None:
    components = components_of(client)
    if merged:
        # Every author with a follower is merged into home pages at read time.
        timelines = components.services.timelines
        timelines.settings = timelines.settings.replace(fanout_read_threshold=0)
    one = await _timeline_of(client, components, "one", authors=1)
    many = await _timeline_of(client, components, "many", authors=12)
    # Warm what every first request pays once (not per page).
    await client.get("/api/v1/timelines/home", params={"limit": 1}, headers=one.headers)

    counts = {}
    for reader, label in ((one, "1 author"), (many, "12 authors")):
        for limit in PAGE_SIZES:
            counts[(label, limit)] = await _count(client, reader, limit)
    numbers = {key: count for key, (count, _) in counts.items()}
    smallest = counts[("1 author", PAGE_SIZES[0])]
    for key, (count, statements) in counts.items():
        assert count == smallest[0], (numbers, key, statements, smallest[1])
