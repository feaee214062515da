"""Cards on a page of statuses cost one query, whatever the number of statuses."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import event

from godwit.domain.cards import CardDraft, CardImage
from tests.api.tier3_helpers import components_of, post, settle
from tests.factories import make_member
from tests.storage.test_preview_cards_repository import store_card


async def test_a_timeline_page_loads_cards_in_one_query(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    authors = [await make_member(components, f"author{n}") for n in range(4)]
    now = dt.datetime.now(dt.UTC)

    async def post_with_cards(per_author: int) -> None:
        for author in authors:
            for n in range(per_author):
                status_id = int(await post(client, author, f"post {n}"))
                url = f"https://news.example/{status_id}"
                image = CardImage(f"cards/{status_id}.jpg", 640, 320, None)
                async with components.store.write() as tx:
                    card_id = await store_card(
                        tx, CardDraft(url=url, usable=True, title=f"Story {n}", image=image), now
                    )
                    await tx.preview_cards.link(status_id, card_id)
        await settle(client)

    async def statements_for_page() -> tuple[int, list[str]]:
        seen: list[str] = []
        engines = {components.database._write_engine, components.database._read_engine}

        def record(*args: object) -> None:
            seen.append(str(args[2]))

        for engine in engines:
            event.listen(engine.sync_engine, "before_cursor_execute", record)
        try:
            page = (await client.get("/api/v1/timelines/public", params={"limit": 40})).json()
        finally:
            for engine in engines:
                event.remove(engine.sync_engine, "before_cursor_execute", record)
        assert all(status["card"]["title"].startswith("Story") for status in page)
        return len(page), seen

    await post_with_cards(1)
    few_statuses, few = await statements_for_page()
    await post_with_cards(5)
    many_statuses, many = await statements_for_page()
    assert (few_statuses, many_statuses) == (4, 24)
    # Not one query per status or per card (a job runner's idle poll may land in between).
    assert len(many) <= len(few) + 2, many
    # One statement flags the statuses with a usable card (with their other facts), one
    # fetches those cards: two, whatever the number of statuses or cards.
    assert sum("preview_cards" in statement for statement in many) == 2
