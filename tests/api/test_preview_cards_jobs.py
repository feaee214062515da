"""The card jobs under concurrency and over time: jobs racing for one URL fetch it once and
never leave a card pointing at a deleted image; a refresh keeps the old image for a grace
period; stale cards no post shows are pruned with their images. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from godwit.app import Components
from godwit.config import Settings
from godwit.domain.cards import CARD_JOB, PRUNE_CARDS_JOB, REPLACED_IMAGE_GRACE
from godwit.services.media import DELETE_FILES_JOB
from godwit.storage.schema import jobs, preview_cards
from tests.api.tier3_helpers import components_of, post, settle
from tests.factories import make_member
from tests.support.link_pages import ARTICLE_TITLE, PageServer, serve_pages


@pytest.fixture
def site() -> Iterator[PageServer]:
    yield from serve_pages()


@pytest.fixture
def settings(settings: Settings, site: PageServer) -> Settings:
    return settings.replace(
        preview_cards=True,
        preview_cards_allow_loopback=True,
        preview_cards_allowed_ports=f"80,443,{site.port}",
    )


async def until(condition: Callable[[], bool], what: str, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {within}s"
        await asyncio.sleep(0.01)


async def card_of(client: httpx.AsyncClient, status_id: str) -> Any:
    response = await client.get(f"/api/v1/statuses/{status_id}")
    assert response.status_code == 200
    return response.json()["card"]


def media_path(settings: Settings, image_url: str) -> Path:
    return Path(settings.media_dir) / image_url.removeprefix(f"{settings.media_base_url}/")


async def assert_served(client: httpx.AsyncClient, settings: Settings, image_url: str) -> None:
    assert media_path(settings, image_url).is_file()
    response = await client.get(image_url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/")


async def jobs_of(components: Components, kind: str) -> list[Any]:
    async with components.database.read() as conn:
        return list(await conn.execute(select(jobs).where(jobs.c.kind == kind)))


async def test_concurrent_jobs_for_one_url_fetch_it_once_and_keep_its_image(
    client: httpx.AsyncClient, site: PageServer, settings: Settings
) -> None:
    components = components_of(client)
    # The jobs the posts queue are run by hand below, not by the background runner.
    await components.job_runner.stop()
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    link = site.url("/article")
    first = await post(client, alice, f"look {link}")
    second = await post(client, bob, f"me too {link}")
    handle = components.job_runner.handlers[CARD_JOB]

    gate = site.hold("/article")  # both jobs are under way before the page answers
    jobs_running = [
        asyncio.create_task(handle({"status_id": status_id})) for status_id in (first, second)
    ]
    await until(
        lambda: (
            site.hits["/article"] == 2
            or (site.hits["/article"] == 1 and any(task.done() for task in jobs_running))
        ),
        "a fetch under way and the other job done (or fetching too)",
    )
    gate.set()
    await asyncio.gather(*jobs_running)

    assert site.hits["/article"] == 1  # the second job waited for the first one's fetch
    cards = [await card_of(client, status_id) for status_id in (first, second)]
    assert cards[0]["title"] == cards[1]["title"] == ARTICLE_TITLE
    assert cards[0]["image"] == cards[1]["image"]
    assert await jobs_of(components, DELETE_FILES_JOB) == []  # no image was replaced
    await assert_served(client, settings, cards[0]["image"])

    # The queued jobs run too, as after a crash: nothing is fetched or replaced again.
    await settle(client)
    assert site.hits["/article"] == 1
    assert await card_of(client, first) == cards[0]
    assert await jobs_of(components, DELETE_FILES_JOB) == []
    await assert_served(client, settings, cards[0]["image"])


async def test_a_refreshed_card_keeps_its_old_image_for_a_while(
    client: httpx.AsyncClient, site: PageServer, settings: Settings
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    first = await post(client, alice, f"look {site.url('/article')}")
    await settle(client)
    old_image = (await card_of(client, first))["image"]

    async with components.database.write() as conn:  # fetched 15 days ago: stale
        await conn.execute(
            update(preview_cards).values(fetched_at=dt.datetime.now(dt.UTC) - dt.timedelta(15))
        )
    second = await post(client, alice, f"again {site.url('/article')}")
    await settle(client)
    assert site.hits["/article"] == 2
    new_image = (await card_of(client, second))["image"]
    assert new_image != old_image
    assert (await card_of(client, first))["image"] == new_image  # one card per URL
    await assert_served(client, settings, new_image)
    await assert_served(client, settings, old_image)  # still, for a card shown before

    [deletion] = await jobs_of(components, DELETE_FILES_JOB)
    assert deletion.payload == {"keys": [old_image.removeprefix(f"{settings.media_base_url}/")]}
    grace = deletion.run_at - dt.datetime.now(dt.UTC)
    assert REPLACED_IMAGE_GRACE - dt.timedelta(minutes=5) < grace <= REPLACED_IMAGE_GRACE
    async with components.database.write() as conn:  # the grace period is over
        await conn.execute(update(jobs).where(jobs.c.id == deletion.id).values(run_at=func.now()))
    await settle(client)
    assert not media_path(settings, old_image).exists()
    await assert_served(client, settings, new_image)


async def test_stale_cards_no_post_shows_are_pruned_with_their_images(
    client: httpx.AsyncClient, site: PageServer, settings: Settings
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    kept = await post(client, alice, f"kept {site.url('/article')}")
    gone = await post(client, alice, f"deleted {site.url('/image-page')}")
    await settle(client)
    kept_image = (await card_of(client, kept))["image"]
    gone_image = (await card_of(client, gone))["image"]
    assert len(await jobs_of(components, PRUNE_CARDS_JOB)) == 1  # queued after the fetches
    deleted = await client.delete(f"/api/v1/statuses/{gone}", headers=alice.headers)
    assert deleted.status_code == 200
    await settle(client)

    prune = components.job_runner.handlers[PRUNE_CARDS_JOB]
    await prune({})  # both cards are fresh: kept, in use or not
    await settle(client)
    async with components.database.read() as conn:
        assert await conn.scalar(select(func.count()).select_from(preview_cards)) == 2

    async with components.database.write() as conn:  # fetched 15 days ago: stale
        await conn.execute(
            update(preview_cards).values(fetched_at=dt.datetime.now(dt.UTC) - dt.timedelta(15))
        )
    await prune({})
    await settle(client)
    async with components.database.read() as conn:
        urls = list(await conn.scalars(select(preview_cards.c.url)))
    assert urls == [site.url("/article")]  # the one a post still shows
    assert not media_path(settings, gone_image).exists()
    await assert_served(client, settings, kept_image)
    assert (await card_of(client, kept))["image"] == kept_image
