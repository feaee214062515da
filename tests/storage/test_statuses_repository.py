"""StatusRepository contract tests (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.domain.posting import NewStatus
from godwit.domain.posts import Visibility
from godwit.domain.timelines import FeedEntry
from tests.factories import Member, make_member


def _new(author: Member, text: str = "hello", **changes: Any) -> NewStatus:
    status_id = new_id()
    values: dict[str, Any] = {
        "id": status_id,
        "account_id": author.account_id,
        "uri": f"https://godwit.test/users/{author.username}/statuses/{status_id}",
        "url": f"https://godwit.test/@{author.username}/{status_id}",
        "text": text,
        "content": f"<p>{text}</p>",
        "spoiler_text": "",
        "sensitive": False,
        "visibility": Visibility.PUBLIC,
        "language": None,
        "created_at": dt.datetime.now(dt.UTC),
    }
    values.update(changes)
    return NewStatus(**values)


@contextmanager
def counting_statements(components: Components, tx: Any) -> Iterator[list[str]]:
    """Every SQL statement run on this transaction's connection while the block runs
    (other connections, such as the job runner's polling, are not counted)."""
    seen: list[str] = []
    engine = components.database._read_engine.sync_engine
    ours = tx.conn.sync_connection

    def record(conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if conn is ours:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def _make_statuses(components: Components, count: int) -> tuple[Member, list[int]]:
    """``count`` statuses of every kind: plain, with mentions and tags, replies, reblogs."""
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    ids = []
    now = dt.datetime.now(dt.UTC)
    async with components.store.write() as tx:
        for index in range(count):
            made = await tx.statuses.create(
                _new(
                    bob,
                    f"n{index} #tag",
                    mentioned_account_ids=(alice.account_id,),
                    tags=("tag", f"t{index}"),
                    in_reply_to_id=ids[-1] if ids and index % 4 == 0 else None,
                )
            )
            await tx.statuses.add_favourite(alice.account_id, made.id, now)
            if index % 3 == 0:
                made = await tx.statuses.create(_new(alice, "", reblog_of_id=made.id))
            ids.append(made.id)
    return alice, ids


async def test_load_views_uses_a_fixed_number_of_queries(components: Components) -> None:
    alice, ids = await _make_statuses(components, 40)
    counts = []
    for wanted in (ids[:1], ids):
        async with components.store.read() as tx:
            with counting_statements(components, tx) as statements:
                views = await tx.statuses.load_views(wanted, alice.account_id)
            counts.append(
                len([s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))])
            )
        assert set(views) == set(wanted)
    assert counts[0] == counts[1], statements
    # statuses+originals+quotes with their authors, then one statement of facts (mentions,
    # tags, app, the viewer's flags, and which statuses have a poll, media or a card); polls,
    # media and cards only when some status has them; room for filters.
    assert 2 <= counts[1] <= 10


async def test_load_views_fills_reblogs_mentions_tags_and_viewer(
    components: Components,
) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    async with components.store.write() as tx:
        original = await tx.statuses.create(
            _new(
                bob, "hi #One #two", mentioned_account_ids=(alice.account_id,), tags=("One", "two")
            )
        )
        reblog = await tx.statuses.create(_new(alice, "", reblog_of_id=original.id))
        await tx.statuses.add_favourite(alice.account_id, original.id, dt.datetime.now(dt.UTC))
    async with components.store.read() as tx:
        views = await tx.statuses.load_views([reblog.id, original.id, 42], alice.account_id)
        anonymous = await tx.statuses.load_views([original.id], None)
    assert set(views) == {reblog.id, original.id}
    shown = views[reblog.id]
    assert shown.reblog is not None
    assert shown.reblog.status.id == original.id
    assert shown.reblog.viewer.favourited
    assert shown.reblog.viewer.reblogged
    assert shown.reblog.status.reblogs_count == 1
    assert shown.reblog.status.favourites_count == 1
    assert [m.account_id for m in views[original.id].mentions] == [alice.account_id]
    assert views[original.id].tags == ("one", "two")
    assert not anonymous[original.id].viewer.favourited
    assert anonymous[original.id].viewer_id is None


async def test_tags_are_shared_case_insensitively(components: Components) -> None:
    alice = await make_member(components, "alice")
    async with components.store.write() as tx:
        first = await tx.statuses.create(_new(alice, tags=("Godwit",)))
        second = await tx.statuses.create(_new(alice, tags=("GODWIT", "godwit")))
        views = await tx.statuses.load_views([first.id, second.id], None)
    assert views[first.id].tags == views[second.id].tags == ("godwit",)


async def test_favourites_are_idempotent(components: Components) -> None:
    alice = await make_member(components, "alice")
    now = dt.datetime.now(dt.UTC)
    async with components.store.write() as tx:
        status = await tx.statuses.create(_new(alice))
        assert await tx.statuses.add_favourite(alice.account_id, status.id, now)
        assert not await tx.statuses.add_favourite(alice.account_id, status.id, now)
        counted = await tx.statuses.get(status.id)
        assert counted is not None
        assert counted.favourites_count == 1
        assert await tx.statuses.remove_favourite(alice.account_id, status.id)
        assert not await tx.statuses.remove_favourite(alice.account_id, status.id)
        after = await tx.statuses.get(status.id)
        assert after is not None
        assert after.favourites_count == 0


async def test_a_held_status_is_deleted_only_after_its_holder_commits(
    components: Components,
) -> None:
    """Fan-out holds its status: a deletion meanwhile waits, then takes the new feed
    entries with it (on PostgreSQL they used to break the foreign key instead)."""
    alice = await make_member(components, "alice")
    async with components.store.write() as tx:
        status = await tx.statuses.create(_new(alice))

    async def delete() -> None:
        async with components.store.write() as tx:
            await tx.statuses.delete(status.id)

    async with components.store.write() as tx:
        assert await tx.statuses.get_held(status.id) is not None
        deletion = asyncio.create_task(delete())
        await asyncio.sleep(0.3)
        assert not deletion.done()  # waiting for this transaction
        entry = FeedEntry(alice.account_id, status.id, status.id, alice.account_id)
        await tx.feeds.add_entries([entry])
    await asyncio.wait_for(deletion, 10)
    async with components.store.read() as tx:
        assert await tx.statuses.get(status.id) is None
        assert await tx.statuses.get_held(status.id) is None
        assert await tx.feeds.page(alice.account_id, PageRequest(limit=5)) == []


async def test_ancestors_and_descendants(components: Components) -> None:
    alice = await make_member(components, "alice")
    async with components.store.write() as tx:
        chain = [await tx.statuses.create(_new(alice, "root"))]
        for index in range(5):
            parent = chain[-1]
            chain.append(
                await tx.statuses.create(
                    _new(
                        alice,
                        f"r{index}",
                        in_reply_to_id=parent.id,
                        in_reply_to_account_id=alice.account_id,
                    )
                )
            )
        ancestors = await tx.statuses.ancestors(chain[-1], 40)
        bounded = await tx.statuses.ancestors(chain[-1], 2)
        descendants = await tx.statuses.descendants(chain[0].id, 100, 64)
        shallow = await tx.statuses.descendants(chain[0].id, 100, 2)
    assert [s.id for s in ancestors] == [s.id for s in chain[:-1]]
    assert [s.id for s in bounded] == [s.id for s in chain[-3:-1]]
    assert [s.id for s in descendants] == [s.id for s in chain[1:]]
    assert [s.id for s in shallow] == [s.id for s in chain[1:3]]


async def test_idempotency_keys_expire_after_an_hour(components: Components) -> None:
    alice = await make_member(components, "alice")
    now = dt.datetime.now(dt.UTC)
    async with components.store.write() as tx:
        status = await tx.statuses.create(_new(alice))
        assert await tx.statuses.remember_idempotency_key(alice.account_id, "k", status.id, now)
        assert not await tx.statuses.remember_idempotency_key(alice.account_id, "k", status.id, now)
        hour_ago = now - dt.timedelta(minutes=59)
        assert await tx.statuses.idempotent_status(alice.account_id, "k", hour_ago) == status.id
        later = now + dt.timedelta(minutes=1)
        assert await tx.statuses.idempotent_status(alice.account_id, "k", later) is None


async def test_favourited_by_pages(components: Components) -> None:
    author = await make_member(components, "author")
    fans = [await make_member(components, f"fan{i}") for i in range(3)]
    async with components.store.write() as tx:
        status = await tx.statuses.create(_new(author))
        for fan in fans:
            await tx.statuses.add_favourite(fan.account_id, status.id, dt.datetime.now(dt.UTC))
        first = await tx.statuses.favourited_by(status.id, PageRequest(limit=2))
        rest = await tx.statuses.favourited_by(status.id, PageRequest(limit=2, max_id=first[-1][0]))
    assert [account for _, account in first] == [fans[2].account_id, fans[1].account_id]
    assert [account for _, account in rest] == [fans[0].account_id]
