"""PreviewCardRepository contract tests (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import update

from godwit.app import Components
from godwit.domain.cards import CARD_TTL, FETCH_LEASE, NEVER_FETCHED, CardDraft, CardImage
from godwit.domain.pagination import PageRequest
from godwit.domain.posting import NewStatus
from godwit.domain.posts import Visibility
from godwit.domain.tags import history_days
from godwit.ports.store import Transaction
from godwit.storage.schema import accounts
from tests.factories import Member, make_member
from tests.storage.test_statuses_repository import _new

NOW = dt.datetime.now(dt.UTC)
URL = "https://news.example/godwits"


def draft(url: str = URL, **changes: object) -> CardDraft:
    values: dict[str, object] = {"url": url, "usable": True, "title": "Godwits"}
    values.update(changes)
    return CardDraft(**values)  # type: ignore[arg-type]


async def post(components: Components, author: Member, **changes: object) -> int:
    new: NewStatus = _new(author, "see the link", **changes)
    async with components.store.write() as tx:
        return (await tx.statuses.create(new)).id


async def store_card(tx: Transaction, card: CardDraft, now: dt.datetime = NOW) -> int:
    """A card saved as a job saves it (lock, claim, save): its id."""
    locked = await tx.preview_cards.lock(card.url, now)
    await tx.preview_cards.begin_fetch(locked.id, "seed", now + FETCH_LEASE)
    saved, _ = await tx.preview_cards.finish_fetch(locked.id, "seed", card, now)
    assert saved
    return locked.id


async def test_a_card_row_is_made_once_per_url_and_refreshed_in_place(
    components: Components,
) -> None:
    image = CardImage(key="cards/1.jpg", width=640, height=320, blurhash="LEHV6nWB2yk8")
    async with components.store.write() as tx:
        assert await tx.preview_cards.find(URL) is None
        placeholder = await tx.preview_cards.lock(URL, NOW)
        assert (placeholder.usable, placeholder.fetched_at) == (False, NEVER_FETCHED)
        assert placeholder.fetch_token is None
        assert (await tx.preview_cards.lock(URL, NOW)).id == placeholder.id
        card_id = placeholder.id
        await tx.preview_cards.begin_fetch(card_id, "job:1", NOW + FETCH_LEASE)
        claimed = await tx.preview_cards.find(URL)
        assert claimed is not None
        assert (claimed.fetch_token, claimed.fetch_until) == ("job:1", NOW + FETCH_LEASE)
        assert await tx.preview_cards.finish_fetch(card_id, "job:1", draft(image=image), NOW) == (
            True,
            None,
        )
        # The claim ended with the save: a second save under it is refused.
        assert await tx.preview_cards.finish_fetch(card_id, "job:1", draft(), NOW) == (
            False,
            None,
        )
        await tx.preview_cards.begin_fetch(card_id, "job:2", NOW + FETCH_LEASE)
        again = draft(title="Godwits, again", image=CardImage("cards/2.jpg", 10, 10, None))
        assert await tx.preview_cards.finish_fetch(card_id, "job:1", again, NOW) == (False, None)
        assert await tx.preview_cards.finish_fetch(card_id, "job:2", again, NOW) == (
            True,
            "cards/1.jpg",  # the old file is the caller's to delete
        )
        await tx.preview_cards.begin_fetch(card_id, "job:3", NOW + FETCH_LEASE)
        same_image = draft(title="Same image", image=CardImage("cards/2.jpg", 10, 10, None))
        assert await tx.preview_cards.finish_fetch(card_id, "job:3", same_image, NOW) == (
            True,
            None,
        )
        await tx.preview_cards.begin_fetch(card_id, "job:4", NOW + FETCH_LEASE)
        _, replaced = await tx.preview_cards.finish_fetch(
            card_id, "job:4", draft(title="No image now"), NOW
        )
        assert replaced == "cards/2.jpg"
        card = await tx.preview_cards.find(URL)
    assert card is not None
    assert card.id == card_id
    assert card.title == "No image now"
    assert card.image_key is None
    assert card.usable
    assert (card.fetch_token, card.fetch_until) == (None, None)


async def test_concurrent_locks_of_one_url_make_one_card(components: Components) -> None:
    async def lock() -> int:
        async with components.store.write() as tx:
            return (await tx.preview_cards.lock(URL, NOW)).id

    first, second = await asyncio.gather(lock(), lock())
    assert first == second


async def test_pruning_takes_stale_cards_no_status_shows(components: Components) -> None:
    alice = await make_member(components, "alice")
    shown = await post(components, alice)
    old, new = NOW - dt.timedelta(days=30), NOW - dt.timedelta(hours=1)

    def image(name: str) -> CardImage:
        return CardImage(f"cards/{name}.jpg", 1, 1, None)

    async with components.store.write() as tx:
        stale_unused = await store_card(tx, draft("https://a.example/", image=image("a")), old)
        stale_shown = await store_card(tx, draft("https://b.example/", image=image("b")), old)
        fresh_unused = await store_card(tx, draft("https://c.example/", image=image("c")), new)
        failed_unused = await store_card(tx, draft("https://d.example/", usable=False), new)
        being_fetched = (await tx.preview_cards.lock("https://e.example/", NOW)).id
        await tx.preview_cards.begin_fetch(being_fetched, "job:9", NOW + FETCH_LEASE)
        await tx.preview_cards.link(shown, stale_shown)
    usable_before, failed_before = NOW - CARD_TTL, NOW - dt.timedelta(minutes=1)
    async with components.store.write() as tx:
        keys = await tx.preview_cards.prune(usable_before, failed_before, NOW, 10)
        left = await tx.preview_cards.get_many(
            [stale_unused, stale_shown, fresh_unused, failed_unused, being_fetched]
        )
    assert keys == ["cards/a.jpg"]  # failed_unused went too: it had no image
    assert set(left) == {stale_shown, fresh_unused, being_fetched}
    # Once its claim lapses, an unsaved (never fetched) card goes as well.
    async with components.store.write() as tx:
        later = NOW + FETCH_LEASE + dt.timedelta(seconds=1)
        assert await tx.preview_cards.prune(usable_before, failed_before, later, 10) == []
        assert set(await tx.preview_cards.get_many([being_fetched])) == set()


async def test_statuses_show_their_usable_card_in_one_query(components: Components) -> None:
    alice = await make_member(components, "alice")
    shown = await post(components, alice)
    failed = await post(components, alice)
    plain = await post(components, alice)
    async with components.store.write() as tx:
        good = await store_card(tx, draft())
        bad = await store_card(tx, draft("https://gone.example/", usable=False))
        await tx.preview_cards.link(shown, bad)
        await tx.preview_cards.link(shown, good)  # replaces
        await tx.preview_cards.link(failed, bad)
    async with components.store.read() as tx:
        cards = await tx.preview_cards.for_statuses([shown, failed, plain])
        views = await tx.statuses.load_views([shown, failed, plain], None)
    assert set(cards) == {shown}
    assert cards[shown].id == good
    assert views[shown].card is not None
    assert views[shown].card.title == "Godwits"
    assert views[failed].card is None
    assert views[plain].card is None
    async with components.store.write() as tx:
        await tx.preview_cards.unlink(shown)
        assert await tx.preview_cards.for_statuses([shown]) == {}


async def test_usage_counts_public_posts_of_discoverable_active_local_accounts(
    components: Components,
) -> None:
    members = [await make_member(components, name) for name in ("ann", "ben", "cat", "dan")]
    hidden = await make_member(components, "hidden")
    limited = await make_member(components, "limited")
    async with components.database.write() as conn:
        await conn.execute(
            update(accounts).where(accounts.c.id == hidden.account_id).values(discoverable=False)
        )
        await conn.execute(
            update(accounts).where(accounts.c.id == limited.account_id).values(silenced_at=NOW)
        )
    async with components.store.write() as tx:
        popular = await store_card(tx, draft())
        other = await store_card(tx, draft("https://other.example/"))
    links: list[tuple[int, int]] = []
    for member in members[:3]:
        links.append((await post(components, member), popular))
    links.append((await post(components, members[3]), other))
    links.append((await post(components, members[3]), other))
    links.append((await post(components, members[3], visibility=Visibility.UNLISTED), other))
    links.append((await post(components, hidden), other))
    links.append((await post(components, limited), other))
    async with components.store.write() as tx:
        for status_id, card_id in links:
            await tx.preview_cards.link(status_id, card_id)
    days = history_days(NOW)
    async with components.store.read() as tx:
        usage = {use.card_id: use for use in await tx.preview_cards.usage(None, days, 10)}
        one = await tx.preview_cards.usage([other], days, 10)
        page = await tx.preview_cards.status_ids(popular, PageRequest(limit=2))
        rest = await tx.preview_cards.status_ids(popular, PageRequest(limit=2, max_id=page[-1]))
        other_posts = await tx.preview_cards.status_ids(other, PageRequest(limit=10))
    assert usage[popular].accounts == 3
    assert usage[popular].by_day[days[0]] == (3, 3)
    assert usage[other].accounts == 1
    assert usage[other].by_day[days[0]] == (2, 1)  # public posts only, from dan alone
    assert [use.card_id for use in one] == [other]
    popular_posts = [status_id for status_id, card_id in links if card_id == popular]
    assert page + rest == sorted(popular_posts, reverse=True)
    assert len(other_posts) == 2
