"""In-memory adapters for unit tests of the timeline and job rules.

``MemoryStore`` holds plain dicts and hands out transactions with the repository methods
fan-out, backfill and the job service use (accounts, statuses, graph, feeds, jobs). A write
transaction works on a copy and publishes it only on success, so tests can check that a
failure in the middle of a batch leaves nothing behind, as a database rollback would.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from godwit.domain.accounts import Account
from godwit.domain.graph import FollowerRef
from godwit.domain.jobs import Job
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import Status, Visibility
from godwit.domain.streaming import EventOutbox
from godwit.domain.timelines import FeedEntry, FeedItem, FeedPost, TimelineScope, entry_key
from godwit.testing.memory_jobs import MemoryJobs, next_id


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Follow:
    id: int
    show_reblogs: bool = True
    notify: bool = False


@dataclass
class MemoryData:
    accounts: dict[int, Account] = field(default_factory=dict)
    statuses: dict[int, Status] = field(default_factory=dict)
    follows: dict[tuple[int, int], Follow] = field(default_factory=dict)  # (follower, target)
    blocks: set[tuple[int, int]] = field(default_factory=set)  # (blocker, blocked)
    mutes: set[tuple[int, int]] = field(default_factory=set)  # (muter, muted)
    mentions: dict[int, list[int]] = field(default_factory=dict)  # status -> accounts
    feeds: dict[int, dict[int, FeedEntry]] = field(default_factory=dict)  # reader -> status
    jobs: dict[int, Job] = field(default_factory=dict)


def _window(ids: Sequence[int], page: PageRequest) -> list[int]:
    """Mastodon's page window over ids, newest first."""
    chosen = [
        i
        for i in ids
        if (page.max_id is None or i < page.max_id) and (page.lower is None or i > page.lower)
    ]
    if page.ascending:
        return sorted(chosen)[: page.limit][::-1]
    return sorted(chosen, reverse=True)[: page.limit]


class MemoryAccounts:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, account_id: int) -> Account | None:
        return self.data.accounts.get(account_id)

    async def get_many(self, ids: Sequence[int]) -> dict[int, Account]:
        return {i: self.data.accounts[i] for i in ids if i in self.data.accounts}


class MemoryStatuses:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, status_id: int) -> Status | None:
        return self.data.statuses.get(status_id)

    async def get_held(self, status_id: int) -> Status | None:
        return self.data.statuses.get(status_id)  # one task at a time: nothing to hold off


class MemoryGraph:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def follower_batch(
        self,
        account_id: int,
        after_follow_id: int | None,
        limit: int,
        *,
        notified_only: bool = False,
    ) -> list[FollowerRef]:
        refs = [
            FollowerRef(follow.id, follower, follow.show_reblogs, follow.notify)
            for (follower, target), follow in self.data.follows.items()
            if target == account_id
            and self.data.accounts[follower].local
            and (after_follow_id is None or follow.id > after_follow_id)
            and (follow.notify or not notified_only)
        ]
        return sorted(refs, key=lambda ref: ref.follow_id)[:limit]

    async def muted(self, viewer_id: int, among: Sequence[int]) -> set[int]:
        return {a for a in among if (viewer_id, a) in self.data.mutes}

    async def blocked_either_way(self, viewer_id: int, among: Sequence[int]) -> set[int]:
        blocks = self.data.blocks
        return {a for a in among if (viewer_id, a) in blocks or (a, viewer_id) in blocks}

    async def following_ids(self, viewer_id: int, among: Sequence[int]) -> set[int]:
        return {a for a in among if (viewer_id, a) in self.data.follows}

    async def is_following(self, account_id: int, target_id: int) -> bool:
        return (account_id, target_id) in self.data.follows

    async def follower_count(self, account_id: int) -> int:
        return sum(1 for (_, target) in self.data.follows if target == account_id)


class MemoryFeeds:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def add(
        self, reader_ids: Sequence[int], status_id: int, entry_key: int, author_id: int
    ) -> None:
        await self.add_entries([FeedEntry(r, status_id, entry_key, author_id) for r in reader_ids])

    async def add_entries(self, entries: Sequence[FeedEntry]) -> None:
        for entry in entries:
            feed = self.data.feeds.setdefault(entry.reader_id, {})
            if entry.status_id in feed:
                continue
            if any(existing.entry_key == entry.entry_key for existing in feed.values()):
                continue
            feed[entry.status_id] = entry

    async def remove_author(self, reader_id: int, author_id: int) -> None:
        feed = self.data.feeds.get(reader_id, {})
        for status_id in [s for s, e in feed.items() if e.author_id == author_id]:
            del feed[status_id]

    async def page_items(self, reader_id: int, page: PageRequest) -> list[FeedItem]:
        feed = self.data.feeds.get(reader_id, {})
        return [FeedItem(i, feed[i].entry_key) for i in _window(list(feed), page)]

    async def page(self, reader_id: int, page: PageRequest) -> list[int]:
        return [item.status_id for item in await self.page_items(reader_id, page)]

    async def trim(self, reader_id: int, keep: int) -> None:
        feed = self.data.feeds.get(reader_id, {})
        for status_id in sorted(feed, reverse=True)[keep:]:
            del feed[status_id]

    async def trim_many(self, reader_ids: Sequence[int], keep: int) -> None:
        for reader_id in reader_ids:
            await self.trim(reader_id, keep)

    async def local_mentions(self, status_id: int) -> list[int]:
        return [a for a in self.data.mentions.get(status_id, []) if self.data.accounts[a].local]

    async def shunned_by(
        self, reader_ids: Sequence[int], account_ids: Sequence[int]
    ) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        for reader in reader_ids:
            for other in account_ids:
                pair, reverse = (reader, other), (other, reader)
                if pair in self.data.blocks or reverse in self.data.blocks:
                    found.setdefault(reader, set()).add(other)
                if pair in self.data.mutes:
                    found.setdefault(reader, set()).add(other)
        return found

    async def followed_by(
        self, reader_ids: Sequence[int], account_ids: Sequence[int]
    ) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        for reader in reader_ids:
            for other in account_ids:
                if (reader, other) in self.data.follows:
                    found.setdefault(reader, set()).add(other)
        return found

    async def big_followed(self, reader_id: int, threshold: int) -> dict[int, bool]:
        return {
            target: follow.show_reblogs
            for (follower, target), follow in self.data.follows.items()
            if follower == reader_id and self.data.accounts[target].followers_count > threshold
        }

    async def posts_by(
        self, author_ids: Sequence[int], page: PageRequest, *, include_reblogs: bool = True
    ) -> list[FeedPost]:
        statuses = self.data.statuses
        candidates = [
            s.id
            for s in statuses.values()
            if s.account_id in author_ids
            and s.visibility is not Visibility.DIRECT
            and (include_reblogs or s.reblog_of_id is None)
        ]
        posts = []
        for status_id in _window(candidates, page):
            status = statuses[status_id]
            original = statuses.get(status.reblog_of_id) if status.reblog_of_id else None
            posts.append(FeedPost.of(status, original))
        return posts

    async def show_reblogs(self, reader_id: int, author_id: int) -> bool | None:
        follow = self.data.follows.get((reader_id, author_id))
        return None if follow is None else follow.show_reblogs

    async def show_reblogs_of(self, reader_ids: Sequence[int], author_id: int) -> dict[int, bool]:
        follows = ((reader, self.data.follows.get((reader, author_id))) for reader in reader_ids)
        return {reader: follow.show_reblogs for reader, follow in follows if follow is not None}

    async def holding(self, reader_ids: Sequence[int], status_id: int) -> set[int]:
        return {r for r in reader_ids if status_id in self.data.feeds.get(r, {})}

    async def public_ids(
        self,
        page: PageRequest,
        scope: str,
        *,
        only_media: bool = False,
        viewer_id: int | None = None,
    ) -> list[int]:
        if only_media:
            return []  # media is not modelled in memory; the SQL tests cover only_media
        candidates = [
            s.id
            for s in self.data.statuses.values()
            if s.visibility is Visibility.PUBLIC
            and s.reblog_of_id is None
            and (scope != TimelineScope.LOCAL or s.local)
            and (scope != TimelineScope.REMOTE or not s.local)
        ]
        return _window(candidates, page)

    async def tag_ids(
        self,
        page: PageRequest,
        scope: str,
        *,
        any_tags: Sequence[str],
        all_tags: Sequence[str] = (),
        none_tags: Sequence[str] = (),
        only_media: bool = False,
        viewer_id: int | None = None,
    ) -> list[int]:
        return []  # tags are not modelled in memory; the SQL tests cover tag timelines


class MemoryTransaction:
    def __init__(self, data: MemoryData) -> None:
        self.events = EventOutbox()  # collected, never published: tests may inspect them
        self.accounts = MemoryAccounts(data)
        self.statuses = MemoryStatuses(data)
        self.graph = MemoryGraph(data)
        self.feeds = MemoryFeeds(data)
        self.jobs = MemoryJobs(data)


class MemoryStore:
    """Pass it where a ``Store`` is expected (``cast(Store, store)``)."""

    def __init__(self) -> None:
        self.data = MemoryData()
        self.writes = 0  # committed write transactions

    @asynccontextmanager
    async def read(self) -> AsyncIterator[MemoryTransaction]:
        yield MemoryTransaction(self.data)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[MemoryTransaction]:
        working = copy.deepcopy(self.data)
        yield MemoryTransaction(working)
        self.data = working  # reached only without an exception: commit
        self.writes += 1

    # --- building test data ---------------------------------------------------------

    def add_account(self, username: str, *, domain: str = "", followers_count: int = 0) -> Account:
        account = Account(
            id=next_id(),
            username=username,
            domain=domain,
            display_name=username.title(),
            note="",
            note_source="",
            uri=f"https://{domain or 'local.test'}/users/{username}",
            url=f"https://{domain or 'local.test'}/@{username}",
            locked=False,
            bot=False,
            discoverable=True,
            indexable=True,
            created_at=_now(),
            followers_count=followers_count,
        )
        self.data.accounts[account.id] = account
        return account

    def add_status(
        self,
        author: Account,
        *,
        visibility: Visibility = Visibility.PUBLIC,
        reblog_of: Status | None = None,
        in_reply_to: Status | None = None,
        mentions: Sequence[Account] = (),
    ) -> Status:
        status_id = next_id()
        status = Status(
            id=status_id,
            account_id=author.id,
            uri=f"{author.uri}/statuses/{status_id}",
            url=f"{author.url}/{status_id}",
            local=author.local,
            text="",
            content="",
            spoiler_text="",
            sensitive=False,
            visibility=visibility,
            language=None,
            in_reply_to_id=in_reply_to.id if in_reply_to else None,
            in_reply_to_account_id=in_reply_to.account_id if in_reply_to else None,
            reblog_of_id=reblog_of.id if reblog_of else None,
            created_at=_now(),
        )
        self.data.statuses[status_id] = status
        if mentions:
            self.data.mentions[status_id] = [m.id for m in mentions]
        return status

    def follow(self, follower: Account, target: Account, *, show_reblogs: bool = True) -> None:
        self.data.follows[(follower.id, target.id)] = Follow(next_id(), show_reblogs)
        self.data.accounts[target.id] = dataclasses.replace(
            self.data.accounts[target.id],
            followers_count=self.data.accounts[target.id].followers_count + 1,
        )

    def feed_of(self, reader: Account) -> list[int]:
        """The reader's feed, newest first."""
        return sorted(self.data.feeds.get(reader.id, {}), reverse=True)

    def entry_key_of(self, status: Status) -> int:
        return entry_key(status.id, status.reblog_of_id)
