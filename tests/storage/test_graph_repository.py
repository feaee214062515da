"""Contract tests for the SQL graph repository (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

import datetime as dt

from godwit.app import Components
from godwit.domain.graph import FollowOptions
from godwit.domain.pagination import PageRequest
from tests.factories import make_member

DEFAULTS = FollowOptions()


async def _members(components: Components, *names: str) -> list[int]:
    return [(await make_member(components, name)).account_id for name in names]


async def test_follows_answer_the_agreed_questions(components: Components) -> None:
    alice, bob, carol, dave = await _members(components, "alice", "bob", "carol", "dave")
    async with components.store.write() as tx:
        assert await tx.graph.add_follow(alice, bob, DEFAULTS)
        assert await tx.graph.add_follow(alice, carol, FollowOptions(show_reblogs=False))
        assert await tx.graph.add_follow(dave, bob, FollowOptions(notify=True))
    async with components.store.read() as tx:
        assert await tx.graph.following_ids(alice, [bob, carol, dave]) == {bob, carol}
        assert await tx.graph.following_ids(alice, []) == set()
        assert await tx.graph.is_following(alice, bob)
        assert not await tx.graph.is_following(bob, alice)
        assert sorted(await tx.graph.followed_ids(alice)) == sorted([bob, carol])
        assert await tx.graph.follower_count(bob) == 2
        assert await tx.graph.follower_count(alice) == 0
        assert await tx.graph.get_follow(alice, carol) == FollowOptions(show_reblogs=False)
        assert await tx.graph.get_follow(carol, alice) is None


async def test_a_duplicate_follow_is_a_no_op_not_an_error(components: Components) -> None:
    alice, bob = await _members(components, "alice", "bob")
    async with components.store.write() as tx:
        assert await tx.graph.add_follow(alice, bob, DEFAULTS)
        assert not await tx.graph.add_follow(alice, bob, DEFAULTS)
        # The transaction is still usable after the swallowed constraint violation.
        assert await tx.graph.follower_count(bob) == 1
    async with components.store.write() as tx:
        assert await tx.graph.remove_follow(alice, bob)
        assert not await tx.graph.remove_follow(alice, bob)
    async with components.store.read() as tx:
        assert await tx.graph.follower_count(bob) == 0


async def test_follower_batch_walks_local_followers_in_follow_order(
    components: Components,
) -> None:
    author, *followers = await _members(components, "author", "f1", "f2", "f3", "f4", "f5")
    async with components.store.write() as tx:
        for index, follower in enumerate(followers):
            await tx.graph.add_follow(
                follower, author, FollowOptions(show_reblogs=index % 2 == 0, notify=index == 1)
            )
    seen: list[int] = []
    after: int | None = None
    async with components.store.read() as tx:
        while True:
            batch = await tx.graph.follower_batch(author, after, 2)
            if not batch:
                break
            assert len(batch) <= 2
            assert [ref.follow_id for ref in batch] == sorted(ref.follow_id for ref in batch)
            seen.extend(ref.account_id for ref in batch)
            after = batch[-1].follow_id
        first = await tx.graph.follower_batch(author, None, 10)
        notified = await tx.graph.follower_batch(author, None, 10, notified_only=True)
    assert [ref.account_id for ref in notified] == [followers[1]]
    assert sorted(seen) == sorted(followers)
    assert len(seen) == len(set(seen))
    by_account = {ref.account_id: ref for ref in first}
    assert by_account[followers[1]].notify
    assert not by_account[followers[0]].notify
    assert by_account[followers[0]].show_reblogs
    assert not by_account[followers[1]].show_reblogs


async def test_blocks_are_seen_from_both_sides(components: Components) -> None:
    alice, bob, carol = await _members(components, "alice", "bob", "carol")
    async with components.store.write() as tx:
        assert await tx.graph.add_block(alice, bob)
        assert not await tx.graph.add_block(alice, bob)
    async with components.store.read() as tx:
        assert await tx.graph.blocked_either_way(alice, [bob, carol]) == {bob}
        assert await tx.graph.blocked_either_way(bob, [alice, carol]) == {alice}
        assert await tx.graph.blocked_either_way(carol, [alice, bob]) == set()
        facts = await tx.graph.facts(bob, [alice])
        assert facts.blocked_by == {alice}
        assert facts.blocking == set()
    async with components.store.write() as tx:
        assert await tx.graph.remove_block(alice, bob)
    async with components.store.read() as tx:
        assert await tx.graph.blocked_either_way(bob, [alice]) == set()


async def test_expired_mutes_count_as_absent(components: Components) -> None:
    alice, bob, carol, dave = await _members(components, "alice", "bob", "carol", "dave")
    now = dt.datetime.now(dt.UTC)
    async with components.store.write() as tx:
        await tx.graph.set_mute(alice, bob, hide_notifications=True, expires_at=None)
        await tx.graph.set_mute(
            alice, carol, hide_notifications=False, expires_at=now + dt.timedelta(hours=1)
        )
        await tx.graph.set_mute(
            alice, dave, hide_notifications=True, expires_at=now - dt.timedelta(seconds=1)
        )
    async with components.store.read() as tx:
        assert await tx.graph.muted(alice, [bob, carol, dave]) == {bob, carol}
        assert await tx.graph.muting_notifications(alice, [bob, carol, dave]) == {bob}
        assert await tx.graph.muted(bob, [alice]) == set()  # mutes are one-way
        relations = await tx.graph.viewer_relations(alice, [bob, carol, dave])
        assert relations.muted == {bob, carol}  # the read path's check agrees
        assert (await tx.graph.viewer_relations(bob, [alice])).muted == set()
        page = await tx.graph.mutes_page(alice, PageRequest(limit=10))
        facts = await tx.graph.facts(alice, [bob, carol, dave])
    assert {edge.account_id for edge in page} == {bob, carol}
    assert set(facts.muting) == {bob, carol}


async def test_muting_again_replaces_the_settings(components: Components) -> None:
    alice, bob = await _members(components, "alice", "bob")
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    async with components.store.write() as tx:
        await tx.graph.set_mute(alice, bob, hide_notifications=True, expires_at=past)
        await tx.graph.set_mute(alice, bob, hide_notifications=False, expires_at=None)
    async with components.store.read() as tx:
        assert await tx.graph.muted(alice, [bob]) == {bob}
        assert await tx.graph.muting_notifications(alice, [bob]) == set()
    async with components.store.write() as tx:
        assert await tx.graph.remove_mute(alice, bob)
    async with components.store.read() as tx:
        assert await tx.graph.muted(alice, [bob]) == set()


async def test_follow_requests_are_listed_for_their_target(components: Components) -> None:
    locked, bob, carol = await _members(components, "locked", "bob", "carol")
    async with components.store.write() as tx:
        assert await tx.graph.add_follow_request(bob, locked, FollowOptions(notify=True))
        assert not await tx.graph.add_follow_request(bob, locked, DEFAULTS)
        assert await tx.graph.add_follow_request(carol, locked, DEFAULTS)
    async with components.store.read() as tx:
        page = await tx.graph.follow_requests_page(locked, PageRequest(limit=10))
        facts = await tx.graph.facts(bob, [locked])
        request = await tx.graph.get_follow_request(bob, locked)
    assert [edge.account_id for edge in page] == [carol, bob]  # newest first
    assert locked in facts.requested
    assert not facts.following
    assert request == FollowOptions(notify=True)


async def test_facts_cover_both_directions_for_many_targets(components: Components) -> None:
    me, *others = await _members(components, "me", "o1", "o2", "o3", "o4")
    async with components.store.write() as tx:
        await tx.graph.add_follow(me, others[0], DEFAULTS)
        await tx.graph.add_follow(others[1], me, DEFAULTS)
        await tx.graph.add_follow_request(others[2], me, DEFAULTS)
        await tx.graph.add_block(me, others[3])
    async with components.store.read() as tx:
        facts = await tx.graph.facts(me, others)
    assert set(facts.following) == {others[0]}
    assert facts.followed_by == {others[1]}
    assert facts.requested_by == {others[2]}
    assert facts.blocking == {others[3]}
    assert not facts.requested
    assert not facts.blocked_by
    assert not facts.muting


async def test_pages_follow_the_row_id_cursor_without_gap_or_duplicate(
    components: Components,
) -> None:
    author, *fans = await _members(components, "author", *(f"fan{i}" for i in range(12)))
    async with components.store.write() as tx:
        for fan in fans:
            await tx.graph.add_follow(fan, author, DEFAULTS)
    seen: list[int] = []
    max_id: int | None = None
    async with components.store.read() as tx:
        while True:
            page = await tx.graph.followers_page(author, PageRequest(limit=5, max_id=max_id))
            if not page:
                break
            cursors = [edge.cursor for edge in page]
            assert cursors == sorted(cursors, reverse=True)
            seen.extend(edge.account_id for edge in page)
            max_id = page[-1].cursor
        # min_id walks back up: the page just newer than the oldest row, newest first.
        everything = await tx.graph.followers_page(author, PageRequest(limit=40))
        newer = await tx.graph.followers_page(
            author, PageRequest(limit=3, min_id=everything[-1].cursor)
        )
        following = await tx.graph.following_page(fans[0], PageRequest(limit=5))
    assert sorted(seen) == sorted(fans)
    assert len(seen) == len(fans)
    assert [edge.cursor for edge in newer] == [edge.cursor for edge in everything[-4:-1]]
    assert [edge.account_id for edge in following] == [author]


async def test_blocks_page_lists_only_the_blockers_blocks(components: Components) -> None:
    alice, bob, carol = await _members(components, "alice", "bob", "carol")
    async with components.store.write() as tx:
        await tx.graph.add_block(alice, bob)
        await tx.graph.add_block(carol, alice)
    async with components.store.read() as tx:
        page = await tx.graph.blocks_page(alice, PageRequest(limit=10))
    assert [edge.account_id for edge in page] == [bob]
