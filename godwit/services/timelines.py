"""Home feeds and timelines: fan-out on write, backfill on follow, and the timeline reads.

Fan-out is a chain of durable "status.fanout" jobs. Each job writes one batch of followers
in one transaction that also enqueues the next batch's job and completes its own, so a
crash at any point loses nothing and repeats nothing harmful (feed inserts ignore
duplicates). Authors above ``fanout_read_threshold`` followers are not fanned out; their
posts are merged into each reader's home page when it is read (with those of authors above
half of it: ``merge_floor``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

from godwit.config import Settings
from godwit.domain.accounts import Account
from godwit.domain.graph import FollowerRef
from godwit.domain.jobs import PermanentJobError
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import StatusView, Visibility
from godwit.domain.streaming import (
    STATUS_UPDATE,
    UPDATE,
    StreamEvent,
    author_channel,
    status_events,
    user_channel,
)
from godwit.domain.timelines import (
    BACKFILL_STATUSES,
    FeedEntry,
    FeedItem,
    FeedPost,
    ReaderFacts,
    delivers_to_mentions,
    fans_out_to_followers,
    home_accepts,
    mention_accepts,
    merge_floor,
    merge_page,
    next_window,
    trim_due,
)
from godwit.ports.store import Store, Transaction
from godwit.services.jobs import current_job_id

FANOUT_JOB = "status.fanout"
# An edit goes to the same readers as the post did, as "status.update" events only.
EDIT_FANOUT_JOB = "status.edit_fanout"
BACKFILL_JOB = "feed.backfill"
# A page thinned by filtering (blocks, mutes, visibility) is refilled from the next window
# at most this many times, so one request stays a bounded number of queries.
MAX_PAGE_ROUNDS = 3

# (tx, window) -> (newest-first status ids, whether the sources ran out in this window)
Fetch = Callable[[Transaction, PageRequest], Awaitable[tuple[list[int], bool]]]


def _optional_id(payload: dict[str, Any], key: str) -> int | None:
    value = payload.get(key)
    if value is None:
        return None
    return _required_id(payload, key)


def _required_id(payload: dict[str, Any], key: str) -> int:
    value = payload.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PermanentJobError(f"payload field {key!r} must be an integer, got {value!r}")
    return value


def update_events(entries: Sequence[FeedEntry], event: str = UPDATE) -> list[StreamEvent]:
    """The "update" each reader's user stream gets for the entries written to its feed
    (or the "status.update" when the status was edited)."""
    return [StreamEvent(user_channel(e.reader_id), event, e.status_id) for e in entries]


class TimelineService:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    # --- fan-out on write -----------------------------------------------------------

    async def handle_status_fanout(self, payload: dict[str, Any]) -> None:
        """The "status.fanout" job: {"status_id", optional "after_follow_id"}."""
        await self._fan_out(payload, edit=False)

    async def handle_edit_fanout(self, payload: dict[str, Any]) -> None:
        """The "status.edit_fanout" job, same payload: the edited status goes as a
        "status.update" event to every stream the post reached; nothing is written."""
        await self._fan_out(payload, edit=True)

    async def _fan_out(self, payload: dict[str, Any], *, edit: bool) -> None:
        status_id = _required_id(payload, "status_id")
        after = _optional_id(payload, "after_follow_id")
        async with self.store.write() as tx:
            # Held: a deletion committed while this batch writes feed entries would make
            # them point at nothing (PostgreSQL refused them, and the job failed).
            status = await tx.statuses.get_held(status_id)
            author = await tx.accounts.get(status.account_id) if status else None
            if status is None or author is None:
                return  # deleted meanwhile: nothing to deliver
            original = None
            if status.reblog_of_id is not None:
                original = await tx.statuses.get_held(status.reblog_of_id)
                if original is None:
                    return
            post = FeedPost.of(status, original)
            followers = fans_out_to_followers(
                post, author.followers_count, self.settings.fanout_read_threshold
            )
            entries: list[FeedEntry] = []
            if after is None:
                entries += await self._first_recipients(tx, post, author)
                tx.events.emit(
                    *await self._author_events(tx, post, merged=not followers, edit=edit)
                )
            if followers:
                batch_size = max(1, self.settings.fanout_batch_size)
                batch = await tx.graph.follower_batch(author.id, after, batch_size)
                entries += await self._follower_entries(tx, post, batch)
                if len(batch) == batch_size:
                    await tx.jobs.enqueue(
                        EDIT_FANOUT_JOB if edit else FANOUT_JOB,
                        {"status_id": status_id, "after_follow_id": batch[-1].follow_id},
                    )
            if not edit:
                await self._write(tx, entries)
            # Published after this batch commits; each connection re-checks what it shows.
            tx.events.emit(*update_events(entries, STATUS_UPDATE if edit else UPDATE))
            job_id = current_job_id()
            if job_id is not None:
                # Completed with the batch it wrote: a crash cannot replay this batch and
                # enqueue a second continuation.
                await tx.jobs.complete(job_id)

    async def _author_events(
        self, tx: Transaction, post: FeedPost, *, merged: bool, edit: bool
    ) -> list[StreamEvent]:
        """Once per post: on its author's channel (list streams; home streams when it is
        ``merged`` at read time), and, for an edit, on the public and hashtag streams (a
        new post reached those when it was posted)."""
        if post.visibility is Visibility.DIRECT:
            return []
        event = STATUS_UPDATE if edit else UPDATE
        events = [StreamEvent(author_channel(post.author_id), event, post.status_id, merged=merged)]
        if edit and not post.is_reblog:
            views = await tx.statuses.load_views([post.status_id], None)
            view = views.get(post.status_id)
            if view is not None:
                events += status_events(
                    post.status_id,
                    author_local=view.account.local,
                    public=post.visibility is Visibility.PUBLIC,
                    replies_to_other=post.replies_to_other,
                    tags=view.tags,
                    event=STATUS_UPDATE,
                )
        return events

    async def _first_recipients(
        self, tx: Transaction, post: FeedPost, author: Account
    ) -> list[FeedEntry]:
        """The author (own posts in own home) and, when followers do not get the post
        written, the local accounts it mentions."""
        readers = [author.id] if author.local else []
        if delivers_to_mentions(post, author.followers_count, self.settings.fanout_read_threshold):
            mentioned = [m for m in await tx.feeds.local_mentions(post.status_id) if m != author.id]
            shuns = await tx.feeds.shunned_by(mentioned, [post.author_id])
            readers += [
                reader
                for reader in mentioned
                if mention_accepts(
                    post, ReaderFacts(reader, shuns=frozenset(shuns.get(reader, ())))
                )
            ]
        return [
            FeedEntry(reader, post.status_id, post.entry_key, post.author_id) for reader in readers
        ]

    async def _follower_entries(
        self, tx: Transaction, post: FeedPost, batch: Sequence[FollowerRef]
    ) -> list[FeedEntry]:
        readers = [
            follower.account_id for follower in batch if follower.account_id != post.author_id
        ]
        if not readers:
            return []
        shuns = await tx.feeds.shunned_by(readers, [post.author_id, *post.other_party_ids])
        follows: dict[int, set[int]] = {}
        if post.replies_to_other and post.in_reply_to_account_id is not None:
            follows = await tx.feeds.followed_by(readers, [post.in_reply_to_account_id])
        entries = []
        for follower in batch:
            facts = ReaderFacts(
                follower.account_id,
                show_reblogs=follower.show_reblogs,
                shuns=frozenset(shuns.get(follower.account_id, ())),
                follows=frozenset(follows.get(follower.account_id, ())),
            )
            if follower.account_id != post.author_id and home_accepts(post, facts):
                entries.append(
                    FeedEntry(follower.account_id, post.status_id, post.entry_key, post.author_id)
                )
        return entries

    async def _write(self, tx: Transaction, entries: Sequence[FeedEntry]) -> None:
        if not entries:
            return
        await tx.feeds.add_entries(entries)
        due = sorted(
            {entry.reader_id for entry in entries if trim_due(entry.reader_id, entry.status_id)}
        )
        if due:
            await tx.feeds.trim_many(due, self.settings.feed_max_length)

    async def handle_feed_backfill(self, payload: dict[str, Any]) -> None:
        """The "feed.backfill" job: {"reader_id", "author_id"} after a new follow, the
        author's recent posts enter the reader's feed."""
        reader_id = _required_id(payload, "reader_id")
        author_id = _required_id(payload, "author_id")
        async with self.store.write() as tx:
            show_reblogs = await tx.feeds.show_reblogs(reader_id, author_id)
            author = await tx.accounts.get(author_id)
            if show_reblogs is None or author is None:
                return  # unfollowed (or gone) before the job ran
            if author.followers_count > self.settings.fanout_read_threshold:
                return  # merged at read time instead
            posts = await tx.feeds.posts_by([author_id], PageRequest(limit=BACKFILL_STATUSES))
            others = sorted({party for post in posts for party in post.other_party_ids})
            shuns = await tx.feeds.shunned_by([reader_id], [author_id, *others])
            follows = await tx.feeds.followed_by([reader_id], others)
            facts = ReaderFacts(
                reader_id,
                show_reblogs=show_reblogs,
                shuns=frozenset(shuns.get(reader_id, ())),
                follows=frozenset(follows.get(reader_id, ())),
            )
            entries = [
                FeedEntry(reader_id, post.status_id, post.entry_key, post.author_id)
                for post in reversed(posts)  # oldest first: an original beats its reblogs
                if home_accepts(post, facts)
            ]
            if entries:
                await tx.feeds.add_entries(entries)
                await tx.feeds.trim(reader_id, self.settings.feed_max_length)

    # --- reads ----------------------------------------------------------------------

    async def home(self, reader_id: int, page: PageRequest) -> list[StatusView]:
        """The reader's feed, with followed big accounts' posts merged in at read time."""
        async with self.store.read() as tx:
            # Followed big accounts are merged in; members of the reader's exclusive lists
            # are read in those lists, not at home (both in one statement).
            big, exclusive = await tx.feeds.home_sources(
                reader_id, merge_floor(self.settings.fanout_read_threshold)
            )

            async def fetch(tx: Transaction, window: PageRequest) -> tuple[list[int], bool]:
                feed = await tx.feeds.page_items(reader_id, window)
                merged: list[FeedItem] = []
                exhausted = len(feed) < window.limit
                if big:
                    posts = await tx.feeds.posts_by(list(big), window)
                    exhausted = exhausted and len(posts) < window.limit
                    merged = await self._readable(tx, reader_id, posts, big)
                return merge_page([feed, merged], window), exhausted

            return await self._collect(
                tx, fetch, reader_id, page, hidden_authors=exclusive, context="home"
            )

    async def _readable(
        self, tx: Transaction, reader_id: int, posts: Sequence[FeedPost], big: dict[int, bool]
    ) -> list[FeedItem]:
        """Big accounts' posts the reader's home would have taken had they been written."""
        targets = sorted(
            {
                post.in_reply_to_account_id
                for post in posts
                if post.replies_to_other and post.in_reply_to_account_id is not None
            }
        )
        follows = (
            (await tx.feeds.followed_by([reader_id], targets)).get(reader_id, set())
            if targets
            else set()
        )
        items = []
        for post in posts:
            facts = ReaderFacts(
                reader_id, show_reblogs=big.get(post.author_id, True), follows=frozenset(follows)
            )
            if home_accepts(post, facts):
                items.append(FeedItem(post.status_id, post.entry_key))
        return items

    async def public(
        self, viewer_id: int | None, page: PageRequest, *, scope: str, only_media: bool = False
    ) -> list[StatusView]:
        async def fetch(tx: Transaction, window: PageRequest) -> tuple[list[int], bool]:
            ids = await tx.feeds.public_ids(
                window, scope, only_media=only_media, viewer_id=viewer_id
            )
            return ids, len(ids) < window.limit

        async with self.store.read() as tx:
            return await self._collect(tx, fetch, viewer_id, page, context="public")

    async def tag(
        self,
        viewer_id: int | None,
        page: PageRequest,
        *,
        tags: Sequence[str],
        all_tags: Sequence[str] = (),
        none_tags: Sequence[str] = (),
        scope: str,
        only_media: bool = False,
    ) -> list[StatusView]:
        if not tags:
            return []

        async def fetch(tx: Transaction, window: PageRequest) -> tuple[list[int], bool]:
            ids = await tx.feeds.tag_ids(
                window,
                scope,
                any_tags=tags,
                all_tags=all_tags,
                none_tags=none_tags,
                only_media=only_media,
                viewer_id=viewer_id,
            )
            return ids, len(ids) < window.limit

        async with self.store.read() as tx:
            return await self._collect(tx, fetch, viewer_id, page, context="public")

    async def _collect(
        self,
        tx: Transaction,
        fetch: Fetch,
        viewer_id: int | None,
        page: PageRequest,
        *,
        hidden_authors: Collection[int] = frozenset(),
        context: str | None = None,
    ) -> list[StatusView]:
        """Fetch ids, hydrate and filter them, and refill from the next window while the
        page is short, at most MAX_PAGE_ROUNDS times. Entries made by ``hidden_authors``
        (their posts and reblogs) are left out. ``context`` applies the viewer's filters."""
        # Imported here, not at module level: the presenting module belongs to another
        # slice and this keeps the composition root importable while it is being built.
        from godwit.services.presenting import present_statuses

        views: list[StatusView] = []
        window = page
        for _ in range(MAX_PAGE_ROUNDS):
            ids, exhausted = await fetch(tx, window)
            if not ids:
                break
            shown = await present_statuses(tx, ids, viewer_id, context=context, hide_muted=True)
            views += [view for view in shown if view.account.id not in hidden_authors]
            if exhausted or len(views) >= page.limit:
                break
            window = next_window(window, ids)
        views.sort(key=lambda view: view.status.id, reverse=True)
        return views[-page.limit :] if page.ascending else views[: page.limit]
