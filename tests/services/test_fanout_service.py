"""Fan-out and backfill on the in-memory store: who gets what, batching, crash safety."""

from __future__ import annotations

from typing import Any, cast

import pytest

from godwit.config import Settings
from godwit.domain.accounts import Account
from godwit.domain.posts import Visibility
from godwit.ports.store import Store
from godwit.services.jobs import JobService
from godwit.services.timelines import TimelineService
from godwit.testing.memory import MemoryStore


def service(store: MemoryStore, **settings: Any) -> TimelineService:
    values: dict[str, Any] = {"fanout_batch_size": 500, "fanout_read_threshold": 10_000}
    values.update(settings)
    return TimelineService(cast(Store, store), Settings(**values))


async def run_all(store: MemoryStore, timelines: TimelineService) -> int:
    """Run queued jobs through the real JobService until none is left; how many ran."""
    jobs = JobService(cast(Store, store))
    handlers = {
        "status.fanout": timelines.handle_status_fanout,
        "feed.backfill": timelines.handle_feed_backfill,
    }
    ran = 0
    for _ in range(1000):
        claimed = await jobs.claim("test", 10, 60)
        if not claimed:
            return ran
        for job in claimed:
            ran += 1
            assert await jobs.execute(job, handlers), store.data.jobs[job.id].last_error
    raise AssertionError("jobs never ran out")


async def fan_out(store: MemoryStore, timelines: TimelineService, status_id: int) -> int:
    async with store.write() as tx:
        await tx.jobs.enqueue("status.fanout", {"status_id": status_id})
    return await run_all(store, timelines)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def people(store: MemoryStore, *names: str) -> list[Account]:
    return [store.add_account(name) for name in names]


async def test_post_reaches_author_and_followers_only(store: MemoryStore) -> None:
    alice, bob, carol = people(store, "alice", "bob", "carol")
    store.follow(bob, alice)
    post = store.add_status(alice)
    await fan_out(store, service(store), post.id)
    assert store.feed_of(alice) == [post.id]
    assert store.feed_of(bob) == [post.id]
    assert store.feed_of(carol) == []


async def test_remote_followers_and_remote_authors_own_feed_are_skipped(
    store: MemoryStore,
) -> None:
    alice = store.add_account("alice")
    remote = store.add_account("rem", domain="elsewhere.test")
    store.follow(remote, alice)
    post = store.add_status(alice)
    await fan_out(store, service(store), post.id)
    assert store.feed_of(remote) == []


async def test_blocking_or_muting_followers_are_skipped(store: MemoryStore) -> None:
    alice, blocker, blocked, muter, fan = people(store, "alice", "blocker", "blocked", "m", "fan")
    for follower in (blocker, blocked, muter, fan):
        store.follow(follower, alice)
    store.data.blocks |= {(blocker.id, alice.id), (alice.id, blocked.id)}
    store.data.mutes.add((muter.id, alice.id))
    post = store.add_status(alice)
    await fan_out(store, service(store), post.id)
    assert store.feed_of(fan) == [post.id]
    assert store.feed_of(blocker) == store.feed_of(blocked) == store.feed_of(muter) == []


async def test_reblog_rules(store: MemoryStore) -> None:
    alice, bob, plain, no_boosts, shuns_original = people(store, "alice", "bob", "p", "n", "s")
    for follower in (plain, no_boosts, shuns_original, alice):
        store.follow(follower, bob, show_reblogs=follower is not no_boosts)
    store.data.mutes.add((shuns_original.id, alice.id))
    original = store.add_status(alice)
    boost = store.add_status(bob, reblog_of=original)
    await fan_out(store, service(store), boost.id)
    assert store.feed_of(plain) == [boost.id]
    assert store.feed_of(bob) == [boost.id]
    # Not to followers hiding boosts, muting the original's author, or that author.
    assert store.feed_of(no_boosts) == store.feed_of(shuns_original) == store.feed_of(alice) == []


async def test_reblog_of_a_post_already_in_the_feed_is_not_added(store: MemoryStore) -> None:
    alice, bob, reader = people(store, "alice", "bob", "reader")
    store.follow(reader, alice)
    store.follow(reader, bob)
    timelines = service(store)
    original = store.add_status(alice)
    await fan_out(store, timelines, original.id)
    boost = store.add_status(bob, reblog_of=original)
    await fan_out(store, timelines, boost.id)
    other_boost = store.add_status(store.add_account("dave"), reblog_of=original)
    store.follow(reader, store.data.accounts[other_boost.account_id])
    await fan_out(store, timelines, other_boost.id)
    assert store.feed_of(reader) == [original.id]


async def test_replies_reach_followers_of_the_replied_to_account(store: MemoryStore) -> None:
    alice, bob, both, only_alice = people(store, "alice", "bob", "both", "only")
    for follower in (both, only_alice, bob):
        store.follow(follower, alice)
    store.follow(both, bob)
    parent = store.add_status(bob)
    reply = store.add_status(alice, in_reply_to=parent)
    own_thread = store.add_status(alice, in_reply_to=store.add_status(alice))
    timelines = service(store)
    await fan_out(store, timelines, reply.id)
    await fan_out(store, timelines, own_thread.id)
    assert store.feed_of(both) == [own_thread.id, reply.id]
    assert store.feed_of(only_alice) == [own_thread.id]
    assert reply.id in store.feed_of(bob)  # the replied-to person sees the reply


async def test_direct_posts_reach_mentioned_local_accounts_only(store: MemoryStore) -> None:
    alice, bob, follower, muter = people(store, "alice", "bob", "follower", "muter")
    remote = store.add_account("far", domain="remote.test")
    store.follow(follower, alice)
    store.data.mutes.add((muter.id, alice.id))
    post = store.add_status(alice, visibility=Visibility.DIRECT, mentions=[bob, remote, muter])
    await fan_out(store, service(store), post.id)
    assert store.feed_of(alice) == [post.id]
    assert store.feed_of(bob) == [post.id]
    assert store.feed_of(follower) == store.feed_of(muter) == store.feed_of(remote) == []


async def test_private_posts_reach_every_follower(store: MemoryStore) -> None:
    alice, bob, stranger = people(store, "alice", "bob", "stranger")
    store.follow(bob, alice)
    post = store.add_status(alice, visibility=Visibility.PRIVATE, mentions=[stranger])
    await fan_out(store, service(store), post.id)
    assert store.feed_of(bob) == [post.id]
    assert store.feed_of(stranger) == []


async def test_big_authors_are_not_fanned_out(store: MemoryStore) -> None:
    star = store.add_account("star")
    fans = people(store, "f1", "f2", "f3")
    for fan in fans:
        store.follow(fan, star)
    mentioned = store.add_account("mentioned")
    post = store.add_status(star, mentions=[mentioned])
    await fan_out(store, service(store, fanout_read_threshold=2), post.id)
    assert store.feed_of(star) == [post.id]
    assert store.feed_of(mentioned) == [post.id]
    assert all(store.feed_of(fan) == [] for fan in fans)


async def test_followers_are_written_in_batches_each_its_own_job(store: MemoryStore) -> None:
    alice = store.add_account("alice")
    followers = [store.add_account(f"f{n}") for n in range(7)]
    for follower in followers:
        store.follow(follower, alice)
    post = store.add_status(alice)
    jobs_run = await fan_out(store, service(store, fanout_batch_size=3), post.id)
    assert all(store.feed_of(f) == [post.id] for f in followers)
    assert store.feed_of(alice) == [post.id]
    assert store.data.jobs == {}
    assert jobs_run == 3  # batches of 3, 3 and 1 followers


async def test_a_failing_batch_leaves_no_partial_write_and_is_retried(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = store.add_account("alice")
    followers = [store.add_account(f"f{n}") for n in range(5)]
    for follower in followers:
        store.follow(follower, alice)
    post = store.add_status(alice)
    timelines = service(store, fanout_batch_size=2)
    calls = {"n": 0}

    from godwit.testing import memory

    real_add = memory.MemoryFeeds.add_entries

    async def flaky_add(self: memory.MemoryFeeds, entries: Any) -> None:
        calls["n"] += 1
        await real_add(self, entries)
        if calls["n"] == 2:  # the second batch dies after writing its rows
            raise RuntimeError("crash mid-batch")

    monkeypatch.setattr(memory.MemoryFeeds, "add_entries", flaky_add)
    async with store.write() as tx:
        await tx.jobs.enqueue("status.fanout", {"status_id": post.id})
    jobs = JobService(cast(Store, store), backoff=lambda _attempts: 0.0)
    handlers = {"status.fanout": timelines.handle_status_fanout}
    outcomes = []
    while claimed := await jobs.claim("w", 1, 60):
        outcomes.append(await jobs.execute(claimed[0], handlers))
    assert outcomes.count(False) == 1  # the crash, then a successful retry
    assert all(store.feed_of(f) == [post.id] for f in followers)
    assert store.data.jobs == {}


async def test_deleted_status_is_simply_done(store: MemoryStore) -> None:
    timelines = service(store)
    await timelines.handle_status_fanout({"status_id": 12345})
    assert store.data.feeds == {}


async def test_feeds_are_trimmed_to_the_cap(store: MemoryStore) -> None:
    alice = store.add_account("alice")
    timelines = service(store, feed_max_length=5)
    for _ in range(60):
        await timelines.handle_status_fanout({"status_id": store.add_status(alice).id})
    # Trimmed on roughly one insert in 16: never far above the cap.
    assert 5 <= len(store.feed_of(alice)) < 5 + 40


async def test_backfill_adds_recent_posts_with_the_home_rules(store: MemoryStore) -> None:
    alice, bob, reader = people(store, "alice", "bob", "reader")
    public = store.add_status(alice)
    private = store.add_status(alice, visibility=Visibility.PRIVATE)
    direct = store.add_status(alice, visibility=Visibility.DIRECT, mentions=[bob])
    reply_to_stranger = store.add_status(alice, in_reply_to=store.add_status(bob))
    store.follow(reader, alice)
    await service(store).handle_feed_backfill({"reader_id": reader.id, "author_id": alice.id})
    assert store.feed_of(reader) == [private.id, public.id]
    assert direct.id not in store.feed_of(reader)
    assert reply_to_stranger.id not in store.feed_of(reader)


async def test_backfill_after_unfollow_does_nothing(store: MemoryStore) -> None:
    alice, reader = people(store, "alice", "reader")
    store.add_status(alice)
    await service(store).handle_feed_backfill({"reader_id": reader.id, "author_id": alice.id})
    assert store.feed_of(reader) == []


async def test_bad_payload_fails_permanently(store: MemoryStore) -> None:
    timelines = service(store)
    async with store.write() as tx:
        job_id = await tx.jobs.enqueue("status.fanout", {"status_id": "nope"})
    jobs = JobService(cast(Store, store))
    (job,) = await jobs.claim("w", 1, 60)
    assert not await jobs.execute(job, {"status.fanout": timelines.handle_status_fanout})
    failed = store.data.jobs[job_id]
    assert failed.state == "failed"
    assert "status_id" in (failed.last_error or "")
