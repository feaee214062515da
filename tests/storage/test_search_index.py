"""Full-text index and hashtag lookups (SQLite FTS5, and PostgreSQL tsvector in CI)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, insert

from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.domain.posting import NewStatus
from godwit.domain.posts import Visibility
from godwit.domain.search import StatusSearch, parse_query
from godwit.storage.schema import accounts, blocks, follows, mutes, statuses
from tests.factories import Member, make_member


def _new(author: Member, text: str, **changes: Any) -> NewStatus:
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


async def _post(components: Components, author: Member, text: str, **changes: Any) -> int:
    async with components.store.write() as tx:
        return (await tx.statuses.create(_new(author, text, **changes))).id


async def _find(components: Components, viewer: Member, query: str, **changes: Any) -> list[int]:
    search = StatusSearch(terms=parse_query(query), viewer_id=viewer.account_id, **changes)
    async with components.store.read() as tx:
        return await tx.search.status_ids(search)


async def _edge(components: Components, table: Any, source: Member, target: Member) -> None:
    async with components.database.write() as conn:
        await conn.execute(
            insert(table).values(
                id=new_id(),
                account_id=source.account_id,
                target_account_id=target.account_id,
                created_at=dt.datetime.now(dt.UTC),
            )
        )


async def test_words_prefixes_and_diacritics_match(components: Components) -> None:
    alice = await make_member(components, "alice")
    reader = await make_member(components, "reader")
    crepe = await _post(components, alice, "A Crème Brûlée for <b>everyone</b>")
    other = await _post(components, alice, "Nothing sweet here")
    assert await _find(components, reader, "creme brulee") == [crepe]
    assert await _find(components, reader, "CRÈME") == [crepe]
    assert await _find(components, reader, "brû") == [crepe]  # the last word is a prefix
    assert await _find(components, reader, "ever* creme") == [crepe]
    assert await _find(components, reader, "sweet") == [other]
    assert await _find(components, reader, "creme nothing") == []  # every word must match
    assert await _find(components, reader, "!!!") == []


async def test_content_warning_is_indexed_and_html_is_not(components: Components) -> None:
    alice = await make_member(components, "alice")
    warned = await _post(components, alice, "body text", spoiler_text="Spoilers ahead")
    assert await _find(components, alice, "spoilers") == [warned]
    assert await _find(components, alice, "p") == []  # tag names are not words


async def test_ranking_prefers_better_matches_then_recency(components: Components) -> None:
    alice = await make_member(components, "alice")
    strong = await _post(components, alice, "godwit godwit godwit birds")
    old_weak = await _post(components, alice, "a godwit among many other words in a long post")
    new_weak = await _post(components, alice, "yet another godwit among many other long words")
    found = await _find(components, alice, "godwit")
    assert found[0] == strong
    assert set(found[1:]) == {old_weak, new_weak}
    assert await _find(components, alice, "godwit", limit=1, offset=1) == [found[1]]


async def test_reblogs_are_not_indexed_and_deletes_leave_nothing(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    original = await _post(components, alice, "unique marmalade")
    async with components.store.write() as tx:
        reblog = await tx.statuses.create(_new(bob, "", reblog_of_id=original))
        assert not await tx.search.is_indexed(reblog.id)
        assert await tx.search.is_indexed(original)
        await tx.statuses.delete(original)
    async with components.store.read() as tx:
        assert not await tx.search.is_indexed(original)
    assert await _find(components, alice, "marmalade") == []


async def test_a_cascading_delete_removes_the_entry(components: Components) -> None:
    doomed = await make_member(components, "doomed")
    status_id = await _post(components, doomed, "ephemeral words")
    async with components.database.write() as conn:
        await conn.execute(delete(accounts).where(accounts.c.id == doomed.account_id))
    async with components.store.read() as tx:
        assert not await tx.search.is_indexed(status_id)


async def test_reindexing_replaces_the_words(components: Components) -> None:
    alice = await make_member(components, "alice")
    status_id = await _post(components, alice, "before edit")
    async with components.store.write() as tx:
        await tx.conn.execute(  # type: ignore[attr-defined]
            statuses.update().where(statuses.c.id == status_id).values(content="<p>after edit</p>")
        )
        edited = await tx.statuses.get(status_id)
        assert edited is not None
        await tx.search.index_status(edited)
    assert await _find(components, alice, "after") == [status_id]
    assert await _find(components, alice, "before") == []


async def test_visibility_rules(components: Components) -> None:
    author = await make_member(components, "author")
    reader = await make_member(components, "reader")
    stranger = await make_member(components, "stranger")
    public = await _post(components, author, "zebra public")
    unlisted = await _post(components, author, "zebra unlisted", visibility=Visibility.UNLISTED)
    private = await _post(components, author, "zebra private", visibility=Visibility.PRIVATE)
    direct = await _post(components, author, "zebra direct", visibility=Visibility.DIRECT)
    to_reader = await _post(
        components,
        author,
        "zebra for reader",
        visibility=Visibility.DIRECT,
        mentioned_account_ids=(reader.account_id,),
    )
    assert set(await _find(components, stranger, "zebra")) == {public, unlisted}
    await _edge(components, follows, reader, author)
    assert set(await _find(components, reader, "zebra")) == {public, unlisted, private, to_reader}
    assert set(await _find(components, author, "zebra")) == {
        public,
        unlisted,
        private,
        direct,
        to_reader,
    }
    assert set(await _find(components, reader, "zebra", account_id=stranger.account_id)) == set()


async def test_blocks_mutes_and_unindexable_authors_are_left_out(components: Components) -> None:
    author = await make_member(components, "author")
    quiet = await make_member(components, "quiet")
    blocker = await make_member(components, "blocker")
    muter = await make_member(components, "muter")
    status_id = await _post(components, author, "walrus")
    quiet_id = await _post(components, quiet, "walrus")
    async with components.database.write() as conn:
        await conn.execute(
            accounts.update().where(accounts.c.id == quiet.account_id).values(indexable=False)
        )
    assert set(await _find(components, blocker, "walrus")) == {status_id}
    # An account that is not indexable still finds its own posts.
    assert set(await _find(components, quiet, "walrus")) == {quiet_id, status_id}
    await _edge(components, blocks, author, blocker)  # the author blocked the reader
    await _edge(components, mutes, muter, author)
    assert await _find(components, blocker, "walrus") == []
    assert await _find(components, muter, "walrus") == []


async def test_tags_by_prefix_and_history(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await _post(components, alice, "#Birding", tags=("Birding",))
    await _post(components, bob, "#birding again", tags=("birding",))
    await _post(components, bob, "#birds", tags=("birds",))
    await _post(
        components, bob, "secret #birdingclub", tags=("birdingclub",), visibility=Visibility.PRIVATE
    )
    async with components.store.read() as tx:
        found = await tx.search.tags_by_prefix("birding", 10, 0)
        assert [tag.name for tag in found] == ["Birding", "birdingclub"]  # exact first
        shortest_first = await tx.search.tags_by_prefix("bird", 10, 0)
        assert [tag.name for tag in shortest_first] == ["birds", "Birding", "birdingclub"]
        assert await tx.search.tags_by_prefix("bird", 1, 1) == shortest_first[1:2]
        today = dt.datetime.now(dt.UTC).date()
        days = [today, today - dt.timedelta(days=1)]
        history = await tx.search.tag_history([tag.id for tag in found], days)
        birding, club = history[found[0].id], history[found[1].id]
        assert [(d.day, d.uses, d.accounts) for d in birding] == [(today, 2, 2), (days[1], 0, 0)]
        assert all(d.uses == 0 for d in club)  # private posts are not counted
        assert await tx.search.tag_by_name("birding") == found[0]
        assert await tx.search.tag_by_name("nosuchtag") is None
