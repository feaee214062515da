"""Links trending from recent use, and the link timeline: public posts of discoverable,
active local accounts count; links rank by distinct accounts sharing them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import update

from godwit.config import Settings
from godwit.storage.schema import accounts
from tests.api.tier3_helpers import components_of, post, settle
from tests.factories import Member, make_member
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


async def set_account(client: httpx.AsyncClient, member: Member, **values: object) -> None:
    async with components_of(client).database.write() as conn:
        await conn.execute(
            update(accounts).where(accounts.c.id == member.account_id).values(**values)
        )


async def test_links_trend_by_accounts_sharing_them(
    client: httpx.AsyncClient, site: PageServer
) -> None:
    components = components_of(client)
    ann, ben, cat, dan, eve = [
        await make_member(components, name) for name in ("ann", "ben", "cat", "dan", "eve")
    ]
    hidden = await make_member(components, "hidden")
    limited = await make_member(components, "limited")
    await set_account(client, hidden, discoverable=False)
    await set_account(client, limited, silenced_at=dt.datetime.now(dt.UTC))
    article, image_page = site.url("/article"), site.url("/image-page")
    photo, untitled = site.url("/photo.jpg"), site.url("/untitled")
    for member in (ann, ben, cat):
        await post(client, member, f"read {article}")
    for member in (dan, dan, eve):
        await post(client, member, f"and {image_page}")
    # Never trending: posts that are not public, accounts that opted out or are limited,
    # and a link without a usable card.
    await post(client, ann, f"psst {photo}", visibility="private")
    await post(client, ben, f"quiet {photo}", visibility="unlisted")
    await post(client, hidden, f"mine {photo}")
    await post(client, limited, f"mine {photo}")
    for member in (ann, ben, cat, dan):
        await post(client, member, f"nothing to see {untitled}")
    await settle(client)

    response = await client.get("/api/v1/trends/links")
    assert response.status_code == 200
    links = response.json()
    assert [link["url"] for link in links] == [article, image_page]
    top = links[0]
    assert top["title"] == ARTICLE_TITLE
    assert len(top["history"]) == 7
    assert top["history"][0]["uses"] == "3"
    assert top["history"][0]["accounts"] == "3"
    assert top["history"][1] == {
        "day": str(int(top["history"][0]["day"]) - 86400),
        "uses": "0",
        "accounts": "0",
    }
    assert links[1]["history"][0]["uses"] == "3"
    assert links[1]["history"][0]["accounts"] == "2"

    limited_page = await client.get("/api/v1/trends/links", params={"limit": 1})
    assert [link["url"] for link in limited_page.json()] == [article]
    second = await client.get("/api/v1/trends/links", params={"offset": 1}, headers=ann.headers)
    assert [link["url"] for link in second.json()] == [image_page]

    # Suspended accounts stop counting.
    for member in (ben, cat):
        await set_account(client, member, suspended_at=dt.datetime.now(dt.UTC))
    after = (await client.get("/api/v1/trends/links")).json()
    assert [link["url"] for link in after] == [image_page, article]


async def test_the_link_timeline_lists_public_posts_sharing_a_link(
    client: httpx.AsyncClient, site: PageServer
) -> None:
    components = components_of(client)
    ann, ben, cat = [await make_member(components, name) for name in ("ann", "ben", "cat")]
    article = site.url("/article")
    shared = [await post(client, member, f"read {article}") for member in (ann, ben, cat)]
    private = await post(client, ann, f"mine {article}", visibility="private")
    await post(client, ann, f"untitled {site.url('/untitled')}")
    await settle(client)

    response = await client.get("/api/v1/timelines/link", params={"url": article})
    assert response.status_code == 200
    body = response.json()
    assert [status["id"] for status in body] == shared[::-1]
    assert private not in [status["id"] for status in body]
    assert body[0]["card"]["url"] == article
    first = await client.get("/api/v1/timelines/link", params={"url": article, "limit": 2})
    assert [status["id"] for status in first.json()] == shared[:0:-1]
    assert 'rel="next"' in first.headers["link"]
    older = await client.get("/api/v1/timelines/link", params={"url": article, "max_id": shared[1]})
    assert [status["id"] for status in older.json()] == [shared[0]]

    # The usual visibility rules apply: a member blocking ann does not see her post.
    await client.post(f"/api/v1/accounts/{ann.account_id}/block", headers=cat.headers)
    seen = await client.get("/api/v1/timelines/link", params={"url": article}, headers=cat.headers)
    assert [status["id"] for status in seen.json()] == shared[:0:-1]

    # Links without a usable card are not found; the url is required.
    for unknown in (site.url("/untitled"), "https://never.example/posted", "not a url"):
        missing = await client.get("/api/v1/timelines/link", params={"url": unknown})
        assert missing.status_code == 404, unknown
    blank = await client.get("/api/v1/timelines/link")
    assert blank.status_code == 422
