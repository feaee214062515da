"""The SQL feed repository on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert

from godwit.app import Components
from godwit.config import Settings
from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.domain.timelines import FeedEntry
from godwit.storage import feeds as feeds_module
from godwit.storage.schema import blocks, follows, mutes, statuses
from tests.factories import make_member


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(run_jobs_in_process=False)


async def make_statuses(
    components: Components, author_id: int, count: int, *, reblog_of: int | None = None
) -> list[int]:
    """Rows straight into the table, oldest first, with increasing ids."""
    now = dt.datetime.now(dt.UTC)
    base_ms = int(now.timestamp() * 1000)
    ids = []
    async with components.database.write() as conn:
        for n in range(count):
            status_id = new_id(base_ms + len(ids) + n * 10)
            ids.append(status_id)
            await conn.execute(
                insert(statuses).values(
                    id=status_id,
                    account_id=author_id,
                    uri=f"https://godwit.test/s/{status_id}",
                    url=f"https://godwit.test/s/{status_id}",
                    local=True,
                    visibility="public",
                    reblog_of_id=reblog_of,
                    created_at=now,
                )
            )
    return ids


async def test_add_ignores_duplicates_by_status_and_by_entry_key(components: Components) -> None:
    reader = await make_member(components, "reader")
    author = await make_member(components, "author")
    booster = await make_member(components, "booster")
    (original,) = await make_statuses(components, author.account_id, 1)
    (boost,) = await make_statuses(components, booster.account_id, 1, reblog_of=original)
    other = await make_member(components, "other")
    async with components.store.write() as tx:
        await tx.feeds.add([reader.account_id], original, original, author.account_id)
        await tx.feeds.add([reader.account_id], original, original, author.account_id)
        await tx.feeds.add([reader.account_id], boost, original, booster.account_id)
        assert await tx.feeds.page(reader.account_id, PageRequest(limit=40)) == [original]
        # Within one statement too: the first of two entries sharing a key wins.
        await tx.feeds.add_entries(
            [
                FeedEntry(other.account_id, boost, original, booster.account_id),
                FeedEntry(other.account_id, original, original, author.account_id),
            ]
        )
        assert await tx.feeds.page(other.account_id, PageRequest(limit=40)) == [boost]


async def test_page_windows_and_remove_author(components: Components) -> None:
    reader = await make_member(components, "reader")
    author = await make_member(components, "author")
    other = await make_member(components, "other")
    mine = await make_statuses(components, author.account_id, 6)
    theirs = await make_statuses(components, other.account_id, 2)
    async with components.store.write() as tx:
        for status_id in mine:
            await tx.feeds.add([reader.account_id], status_id, status_id, author.account_id)
        for status_id in theirs:
            await tx.feeds.add([reader.account_id], status_id, status_id, other.account_id)
        everything = sorted(mine + theirs, reverse=True)
        page = tx.feeds.page
        assert await page(reader.account_id, PageRequest(limit=40)) == everything
        assert await page(reader.account_id, PageRequest(limit=2)) == everything[:2]
        assert (
            await page(reader.account_id, PageRequest(limit=2, max_id=everything[1]))
            == everything[2:4]
        )
        # since_id: the newest above; min_id: the ones just above, still newest first.
        assert (
            await page(reader.account_id, PageRequest(limit=2, since_id=everything[-1]))
            == everything[:2]
        )
        assert (
            await page(reader.account_id, PageRequest(limit=2, min_id=everything[-1]))
            == everything[-3:-1]
        )
        await tx.feeds.remove_author(reader.account_id, author.account_id)
        assert await page(reader.account_id, PageRequest(limit=40)) == sorted(theirs, reverse=True)


async def test_trim_keeps_the_newest(components: Components) -> None:
    first = await make_member(components, "first")
    second = await make_member(components, "second")
    author = await make_member(components, "author")
    posted = await make_statuses(components, author.account_id, 10)
    async with components.store.write() as tx:
        for status_id in posted:
            await tx.feeds.add(
                [first.account_id, second.account_id], status_id, status_id, author.account_id
            )
        await tx.feeds.trim_many([first.account_id, second.account_id], 4)
        newest = sorted(posted, reverse=True)[:4]
        assert await tx.feeds.page(first.account_id, PageRequest(limit=40)) == newest
        assert await tx.feeds.page(second.account_id, PageRequest(limit=40)) == newest
        await tx.feeds.trim(first.account_id, 40)  # shorter than the cap: nothing goes
        assert await tx.feeds.page(first.account_id, PageRequest(limit=40)) == newest


async def test_fan_out_questions_in_bulk(components: Components) -> None:
    author = await make_member(components, "author")
    blocker = await make_member(components, "blocker")
    blocked = await make_member(components, "blocked")
    muter = await make_member(components, "muter")
    expired = await make_member(components, "expired")
    fan = await make_member(components, "fan")
    now = dt.datetime.now(dt.UTC)
    async with components.database.write() as conn:
        await conn.execute(
            insert(blocks),
            [
                {"id": new_id(), "account_id": blocker.account_id,
                 "target_account_id": author.account_id, "created_at": now},
                {"id": new_id(), "account_id": author.account_id,
                 "target_account_id": blocked.account_id, "created_at": now},
            ],
        )  # fmt: skip
        await conn.execute(
            insert(mutes),
            [
                {"id": new_id(), "account_id": muter.account_id,
                 "target_account_id": author.account_id, "created_at": now,
                 "expires_at": None},
                {"id": new_id(), "account_id": expired.account_id,
                 "target_account_id": author.account_id, "created_at": now,
                 "expires_at": now - dt.timedelta(minutes=1)},
            ],
        )  # fmt: skip
        await conn.execute(
            insert(follows).values(
                id=new_id(),
                account_id=fan.account_id,
                target_account_id=author.account_id,
                show_reblogs=False,
                created_at=now,
            )
        )
    readers = [m.account_id for m in (blocker, blocked, muter, expired, fan)]
    async with components.store.read() as tx:
        shunned = await tx.feeds.shunned_by(readers, [author.account_id])
        followed = await tx.feeds.followed_by(readers, [author.account_id, muter.account_id])
        big = await tx.feeds.big_followed(fan.account_id, 0)
        assert await tx.feeds.show_reblogs(fan.account_id, author.account_id) is False
        assert await tx.feeds.show_reblogs(muter.account_id, author.account_id) is None
    assert shunned == {
        blocker.account_id: {author.account_id},
        blocked.account_id: {author.account_id},
        muter.account_id: {author.account_id},
    }
    assert followed == {fan.account_id: {author.account_id}}
    assert big == {}  # the author's followers_count is 0: not above 0


async def test_posts_by_many_authors_in_chunks_newest_first(
    components: Components, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feeds_module, "MAX_WINDOWS_PER_STATEMENT", 2)
    authors = [await make_member(components, f"author{n}") for n in range(5)]
    made: list[int] = []
    for author in authors:
        made += await make_statuses(components, author.account_id, 3)
    newest = sorted(made, reverse=True)
    ids = [author.account_id for author in authors]
    async with components.store.read() as tx:
        page = await tx.feeds.posts_by(ids, PageRequest(limit=4))
        older = await tx.feeds.posts_by(ids, PageRequest(limit=4, max_id=newest[3]))
        above = await tx.feeds.posts_by(ids, PageRequest(limit=2, min_id=newest[-1]))
    assert [post.status_id for post in page] == newest[:4]
    assert [post.status_id for post in older] == newest[4:8]
    assert [post.status_id for post in above] == sorted(made)[1:3][::-1]
