"""`godwit demo`: the generator is pure and believable; the seeding fast path writes what the
services would have written, counters, feeds and notifications included."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import Select, Table, delete, func, select

from godwit.app import Components
from godwit.demo.generator import Community, generate
from godwit.demo.writer import write_community
from godwit.domain.errors import Invalid
from godwit.domain.pagination import PageRequest
from godwit.services.seeding import SeedResult
from godwit.services.statuses import PostRequest
from godwit.storage.schema import (
    accounts,
    favourites,
    follows,
    home_feed,
    notifications,
    statuses,
)

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
PASSWORD = "demo-password-for-tests"


def test_the_same_seed_gives_the_same_community() -> None:
    assert generate(seed=7, members=30, posts=300, now=NOW) == generate(
        seed=7, members=30, posts=300, now=NOW
    )
    assert generate(seed=7, members=30, posts=300, now=NOW) != generate(
        seed=8, members=30, posts=300, now=NOW
    )


def test_the_default_community_is_believable() -> None:
    community = generate(now=NOW)
    members, posts = community.members, community.posts
    assert len(members) == 200
    assert len(posts) == 5000
    usernames = [m.username for m in members]
    assert len(set(usernames)) == 200
    assert all(re.fullmatch(r"[a-z0-9_]{1,30}", name) for name in usernames)
    assert len({m.display_name for m in members}) > 150
    assert len({m.bio for m in members}) > 100
    # A skewed follow graph: the most followed have many times the median's followers.
    followers = sorted(Counter(f.followed for f in community.follows).values())
    assert followers[-1] > 5 * followers[len(followers) // 2]
    assert all(f.follower != f.followed for f in community.follows)
    # Replies point at earlier posts; hashtags, likes and reblogs are all there.
    replies = [(i, p.reply_to) for i, p in enumerate(posts) if p.reply_to is not None]
    assert 500 < len(replies) < 2500
    assert all(parent is not None and parent < index for index, parent in replies)
    assert sum("#" in p.text for p in posts) > 1000
    kinds = Counter(r.kind for r in community.reactions)
    assert kinds["favourite"] > 1000
    assert kinds["reblog"] > 100
    # Spread over recent weeks, in chronological order, never in the future.
    times = [p.at for p in posts]
    assert times == sorted(times)
    assert NOW - times[0] > dt.timedelta(days=20)
    assert times[-1] <= NOW
    assert len({p.text for p in posts}) > 1000
    # Members joined and followed before the first post; reactions come after their post.
    assert max(m.joined for m in members) < times[0]
    assert max(f.at for f in community.follows) < times[0]
    assert all(posts[r.post].at < r.at <= NOW for r in community.reactions)


async def _seed(components: Components, community: Community) -> SeedResult:
    phases: Counter[str] = Counter()

    def progress(phase: str, done: int, total: int) -> None:
        assert 0 <= done <= total
        phases[phase] = done

    result = await write_community(components.services, community, PASSWORD, progress)
    assert phases["keys"] == len(community.members)
    assert phases["plan"] == len(community.posts) + len(community.reactions)
    assert phases["write"] > 0
    return result


async def _grouped(components: Components, query: Select[Any]) -> dict[int, int]:
    async with components.database.read() as conn:
        return {row[0]: row[1] for row in (await conn.execute(query)).all()}


async def _count(components: Components, table: Table) -> int:
    async with components.database.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def test_a_small_demo_has_true_counters_feeds_and_logins(components: Components) -> None:
    community = generate(seed=3, members=20, posts=200, now=NOW)
    result = await _seed(components, community)
    assert len(result.account_ids) == 20
    assert len(set(result.status_ids)) == 200

    posted = await _grouped(
        components, select(statuses.c.account_id, func.count()).group_by(statuses.c.account_id)
    )
    followed = await _grouped(
        components,
        select(follows.c.target_account_id, func.count()).group_by(follows.c.target_account_id),
    )
    following = await _grouped(
        components, select(follows.c.account_id, func.count()).group_by(follows.c.account_id)
    )
    reblogs = sum(r.kind == "reblog" for r in community.reactions)
    assert sum(posted.values()) == 200 + reblogs
    for account_id in result.account_ids:
        account = await components.services.accounts.get(account_id)
        assert account.statuses_count == posted.get(account_id, 0)
        assert account.followers_count == followed.get(account_id, 0)
        assert account.following_count == following.get(account_id, 0)
        assert account.display_name
        assert account.note.startswith("<p>") or account.note_source == ""
        assert account.uri == f"{components.settings.base_url}/users/{account.username}"

    # Per-status counters match the rows they count.
    async with components.database.read() as conn:
        stored = {row.id: row for row in await conn.execute(select(statuses))}
    faved = await _grouped(
        components,
        select(favourites.c.status_id, func.count()).group_by(favourites.c.status_id),
    )
    replied = Counter(row.in_reply_to_id for row in stored.values() if row.in_reply_to_id)
    reblogged = Counter(row.reblog_of_id for row in stored.values() if row.reblog_of_id)
    for row in stored.values():
        assert row.favourites_count == faved.get(row.id, 0)
        assert row.replies_count == replied[row.id]
        assert row.reblogs_count == reblogged[row.id]

    # Home timelines: non-empty, and only the reader's own posts or those of followed accounts.
    follows_of: dict[int, set[int]] = {}
    async with components.database.read() as conn:
        for row in await conn.execute(select(follows.c.account_id, follows.c.target_account_id)):
            follows_of.setdefault(row.account_id, set()).add(row.target_account_id)
    for account_id in result.account_ids:
        home = await components.services.timelines.home(account_id, PageRequest(limit=40))
        assert home, f"empty home timeline for {account_id}"
        allowed = follows_of.get(account_id, set()) | {account_id}
        assert {view.account.id for view in home} <= allowed

    user = await components.services.accounts.authenticate_password(
        community.members[0].username, PASSWORD
    )
    assert user is not None
    assert user.account_id == result.account_ids[0]

    # Running it again is refused, and writes nothing.
    with pytest.raises(Invalid, match="exist already"):
        await write_community(components.services, community, PASSWORD)
    assert await _count(components, accounts) == 20


async def test_seeded_rows_are_what_the_services_would_write(components: Components) -> None:
    community = generate(seed=5, members=12, posts=90, now=NOW)
    result = await _seed(components, community)
    ids = result.account_ids

    # A reply posted through StatusService renders exactly like the seeded one.
    index = next(i for i, post in enumerate(community.posts) if post.reply_to is not None)
    post = community.posts[index]
    assert post.reply_to is not None
    seeded = await components.services.statuses.get(result.status_ids[index], None)
    posted = await components.services.statuses.create(
        ids[post.author],
        PostRequest(text=post.text, in_reply_to_id=result.status_ids[post.reply_to]),
    )
    new_id = posted.status.id
    assert posted.status.content == seeded.status.content
    assert posted.mentions == seeded.mentions
    assert posted.tags == seeded.tags
    assert posted.status.uri.replace(str(new_id), "ID") == seeded.status.uri.replace(
        str(seeded.status.id), "ID"
    )
    assert posted.status.in_reply_to_account_id == seeded.status.in_reply_to_account_id
    assert (posted.status.visibility, posted.status.language, posted.status.sensitive) == (
        seeded.status.visibility,
        seeded.status.language,
        seeded.status.sensitive,
    )
    await components.services.statuses.delete(new_id, ids[post.author])
    await components.job_runner.run_until_idle(max_seconds=30)

    # The real fan-out, run over every seeded status in order, writes the same home feeds.
    async with components.database.read() as conn:
        seeded_feed = set((await conn.execute(select(home_feed))).all())
        status_ids = list((await conn.execute(select(statuses.c.id).order_by("id"))).scalars())
    notes_before = await _count(components, notifications)
    async with components.database.write() as conn:
        await conn.execute(delete(home_feed))
    for status_id in status_ids:
        await components.services.timelines.handle_status_fanout({"status_id": status_id})
        # And the notify job finds every mention notification there already.
        await components.services.notifications.handle_status_notify({"status_id": status_id})
    async with components.database.read() as conn:
        assert set((await conn.execute(select(home_feed))).all()) == seeded_feed
    assert await _count(components, notifications) == notes_before
    types = await _notification_types(components)
    assert types["follow"] == len(community.follows)
    assert types["mention"] > 0
    assert types["favourite"] > 0


async def _notification_types(components: Components) -> Counter[str]:
    async with components.database.read() as conn:
        rows = await conn.execute(select(notifications.c.type))
        return Counter(row.type for row in rows)
