"""Preview cards end to end through the API: a post's first link is fetched by a job from a
local web site, the card is shown as ``card`` wherever the status is, cached per URL, and
follows edits."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select

from godwit.config import Settings
from godwit.domain.cards import PRUNE_CARDS_JOB
from godwit.storage.schema import jobs
from tests.api.tier3_helpers import components_of, post, settle
from tests.factories import make_member
from tests.support.link_pages import ARTICLE_DESCRIPTION, ARTICLE_TITLE, PageServer, serve_pages


@pytest.fixture
def site() -> Iterator[PageServer]:
    yield from serve_pages()


@pytest.fixture
def settings(settings: Settings, site: PageServer) -> Settings:
    """Cards on, fetched from the local site (loopback, on its own port)."""
    return settings.replace(
        preview_cards=True,
        preview_cards_allow_loopback=True,
        preview_cards_allowed_ports=f"80,443,{site.port}",
    )


async def card_of(client: httpx.AsyncClient, status_id: str, **kwargs: Any) -> Any:
    response = await client.get(f"/api/v1/statuses/{status_id}", **kwargs)
    assert response.status_code == 200
    return response.json()["card"]


async def test_a_posts_first_link_gets_a_card_with_a_clean_image(
    client: httpx.AsyncClient, site: PageServer, settings: Settings
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    link = site.url("/article")
    response = await client.post(
        "/api/v1/statuses",
        json={"status": f"@alice #birds {link} and {site.url('/photo.jpg')}"},
        headers=alice.headers,
    )
    status_id = response.json()["id"]
    assert response.json()["card"] is None  # fetched after the post, by a job
    await settle(client)

    card = await card_of(client, status_id)
    assert card["url"] == link
    assert card["title"] == ARTICLE_TITLE
    assert card["description"] == ARTICLE_DESCRIPTION
    assert card["type"] == "link"  # og:type video: no player, never third-party HTML
    assert card["html"] == ""
    assert card["embed_url"] == ""
    assert card["provider_name"] == "Shorebird News"
    assert card["author_name"] == "Ann Ornithologist"
    assert card["language"] == "en"
    assert card["published_at"] == "2024-09-30T08:15:00.000Z"
    assert card["image"].startswith(f"{settings.media_base_url}/cards/")
    assert (card["width"], card["height"]) == (640, 320)  # 1600x800 scaled down
    assert card["blurhash"]

    # The stored image went through the media pipeline: no EXIF, GPS, XMP or comment.
    stored = Path(settings.media_dir) / card["image"].removeprefix(f"{settings.media_base_url}/")
    data = stored.read_bytes()
    assert b"SecretCamera" not in data
    assert b"secret-xmp-author" not in data
    assert b"secret-comment" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (640, 320)
        assert not image.getexif()

    # Every rendering path shows it: timelines, account statuses, a reblog's original.
    public = (await client.get("/api/v1/timelines/public")).json()
    assert public[0]["card"]["title"] == ARTICLE_TITLE
    account = await client.get(f"/api/v1/accounts/{alice.account_id}/statuses")
    assert account.json()[0]["card"]["url"] == link
    bob = await make_member(components, "bob")
    reblog = await client.post(f"/api/v1/statuses/{status_id}/reblog", headers=bob.headers)
    assert reblog.json()["card"] is None
    assert reblog.json()["reblog"]["card"]["title"] == ARTICLE_TITLE


async def test_cards_are_cached_per_url(client: httpx.AsyncClient, site: PageServer) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    first = await post(client, alice, f"read {site.url('/article')}")
    await settle(client)
    # The same page, with a fragment: the same normalised URL, the cached card.
    second = await post(client, bob, f"also {site.url('/article#comments')}")
    await settle(client)
    assert site.hits["/article"] == 1
    assert site.hits["/photo.jpg"] == 1
    assert (await card_of(client, first))["image"] == (await card_of(client, second))["image"]


async def test_a_card_follows_the_edits_of_its_post(
    client: httpx.AsyncClient, site: PageServer
) -> None:
    alice = await make_member(components_of(client), "alice")
    status_id = await post(client, alice, f"see {site.url('/article')}")
    await settle(client)
    assert (await card_of(client, status_id))["title"] == ARTICLE_TITLE

    edited = await client.put(
        f"/api/v1/statuses/{status_id}", json={"status": "no link now"}, headers=alice.headers
    )
    assert edited.status_code == 200
    assert edited.json()["card"] is None  # dropped in the edit itself

    await client.put(
        f"/api/v1/statuses/{status_id}",
        json={"status": f"this one: {site.url('/image-page')}"},
        headers=alice.headers,
    )
    await settle(client)
    card = await card_of(client, status_id)
    assert card["title"] == "An image page"
    assert card["url"] == site.url("/image-page")


async def test_a_link_to_an_image_is_a_photo_card(
    client: httpx.AsyncClient, site: PageServer
) -> None:
    alice = await make_member(components_of(client), "alice")
    status_id = await post(client, alice, site.url("/photo.jpg"))
    await settle(client)
    card = await card_of(client, status_id)
    assert card["type"] == "photo"
    assert card["title"] == "photo.jpg"
    assert card["image"] is not None
    assert card["html"] == ""


async def test_links_that_give_no_card(client: httpx.AsyncClient, site: PageServer) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    shown = []
    for path in ("/untitled", "/data.json", "/not-found", "/hop/4"):
        shown.append(await post(client, alice, f"look {site.url(path)}"))
    gone = await post(client, alice, f"deleted before its card {site.url('/article')}")
    await client.delete(f"/api/v1/statuses/{gone}", headers=alice.headers)
    await settle(client)
    for status_id in shown:
        assert await card_of(client, status_id) is None
    async with components.database.read() as conn:
        left = select(func.count()).select_from(jobs).where(jobs.c.kind != PRUNE_CARDS_JOB)
        assert await conn.scalar(left) == 0  # none failed (the prune job waits its turn)
