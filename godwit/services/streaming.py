"""Streaming: publishing committed events, and deciding per viewer what a connection delivers.

Publishing is best effort and happens after commit (the store calls ``publish_events``): a
failure is logged and never undoes or fails the write. Delivery re-checks everything for
the connection's viewer at the moment it sends (visibility, blocks, domain blocks, mutes,
filters), by the same rules as the timelines' ``present_statuses``; a "hide" filter drops
the event, a "warn" one fills ``filtered``. The streams a status goes to ask together:
their checks are coalesced into one batch (``present_to_readers``), a few queries for all
of them rather than a few for each.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence

from godwit.config import Settings
from godwit.domain.errors import NotFound
from godwit.domain.lists import ListPost
from godwit.domain.posts import StatusView, Visibility
from godwit.domain.streaming import DELETES, StreamEvent
from godwit.domain.streams import DIRECT, LIST, USER, StreamKey
from godwit.domain.timelines import FeedPost, ReaderFacts, home_accepts, merge_floor
from godwit.ports.pubsub import PubSub, Subscription
from godwit.ports.store import Store, Transaction
from godwit.services.coalescing import Coalescer
from godwit.services.conversations import ConversationService, ConversationView
from godwit.services.lists import accepted_by_list
from godwit.services.notifications import NotificationService, NotificationView
from godwit.services.presenting_many import Reader, present_to_readers

log = logging.getLogger("godwit.streaming")

# How long the checks of one status wait for more streams to ask (seconds), and at most
# how many go in one batch (each is a few bound parameters in each of its queries).
CHECK_WINDOW_SECONDS = 0.005
CHECK_BATCH = 500


class StreamPublisher:
    """The store's EventSink: hands committed events to the pub/sub port."""

    def __init__(self, pubsub: PubSub) -> None:
        self.pubsub = pubsub

    async def publish_events(self, events: Sequence[StreamEvent]) -> None:
        for event in events:
            try:
                await self.pubsub.publish(event.channel, event.encode())
            except Exception:
                # Live delivery only: the committed data is safe, clients catch up on reload.
                log.warning("streaming event on %s not published", event.channel, exc_info=True)


async def _post(tx: Transaction, status_id: int) -> FeedPost | None:
    """What the feed rules need to know about a status, None when it is gone."""
    status = await tx.statuses.get(status_id)
    if status is None:
        return None
    original = None
    if status.reblog_of_id is not None:
        original = await tx.statuses.get(status.reblog_of_id)
        if original is None:
            return None
    return FeedPost.of(status, original)


class StreamingService:
    def __init__(
        self,
        store: Store,
        pubsub: PubSub,
        notifications: NotificationService,
        conversations: ConversationService,
        settings: Settings,
    ) -> None:
        self.store = store
        self.pubsub = pubsub
        self.notifications = notifications
        self.conversations = conversations
        self.settings = settings
        # The open streams a status goes to ask about it together: one check for all.
        self._status_checks: Coalescer[int, Reader, StatusView | None] = Coalescer(
            self._check_status, window=CHECK_WINDOW_SECONDS, max_batch=CHECK_BATCH
        )
        self._home_checks: Coalescer[int, int, bool] = Coalescer(
            self._check_home, window=CHECK_WINDOW_SECONDS, max_batch=CHECK_BATCH
        )

    async def listen(self, channels: Sequence[str]) -> Subscription:
        return await self.pubsub.subscribe(channels)

    # --- what one viewer may be shown -------------------------------------------------

    async def status_for(
        self,
        status_id: int,
        viewer_id: int | None,
        *,
        context: str | None = None,
        home: bool = False,
    ) -> StatusView | None:
        """The status as ``viewer_id`` may see it now in filter ``context``, or None
        (hidden, deleted, blocked or muted author — of the status or of the reblogged
        original —, a "hide" filter matches, or, for ``home``, its author is in one of
        the viewer's exclusive lists, which keep their members out of the home feed)."""
        return await self._status_checks.ask(status_id, Reader(viewer_id, context, home))

    async def _check_status(
        self, status_id: int, readers: Sequence[Reader]
    ) -> list[StatusView | None]:
        async with self.store.read() as tx:
            return await present_to_readers(tx, status_id, readers)

    async def follows_all(self, viewer_id: int, account_ids: set[int]) -> bool:
        """Whether the viewer follows every one of these accounts."""
        async with self.store.read() as tx:
            following = await tx.graph.following_ids(viewer_id, sorted(account_ids))
        return set(following) >= account_ids

    async def notification_for(
        self, notification_id: int, viewer_id: int
    ) -> NotificationView | None:
        try:
            return await self.notifications.get(viewer_id, notification_id)
        except NotFound:
            return None

    async def conversation_for(
        self, conversation_id: int, viewer_id: int
    ) -> ConversationView | None:
        """The viewer's conversation, unless its last status is hidden from them or by an
        account they mute."""
        view = await self.conversations.view(viewer_id, conversation_id)
        if view is None or view.last_status is None:
            return None
        author_id = view.last_status.status.account_id
        if author_id != viewer_id:
            async with self.store.read() as tx:
                if await tx.graph.muted(viewer_id, [author_id]):
                    return None
        return view

    # --- home streams: big accounts merged at read time -------------------------------

    async def big_followed(self, viewer_id: int) -> dict[int, bool]:
        """Accounts whose author channel the viewer's home stream listens to: the followed
        ones above the merge floor, so an account that grows past the fan-out threshold
        while the stream is open is already listened to. Events of accounts still fanned
        out are not ``merged`` and are ignored by home streams."""
        floor = merge_floor(self.settings.fanout_read_threshold)
        async with self.store.read() as tx:
            return await tx.feeds.big_followed(viewer_id, floor)

    async def home_takes(self, viewer_id: int, status_id: int) -> bool:
        """Whether the viewer's home timeline merges this post of a big account at read
        time (the rules of ``TimelineService.home``), and it did not get it written to its
        feed instead (its own posts and mentions, which come through the user channel).
        The open home streams of a big account's followers ask together: one batch."""
        return await self._home_checks.ask(status_id, viewer_id)

    async def _check_home(self, status_id: int, viewer_ids: Sequence[int]) -> list[bool]:
        async with self.store.read() as tx:
            post = await _post(tx, status_id)
            if post is None:
                return [False] * len(viewer_ids)
            readers = sorted(set(viewer_ids) - {post.author_id})
            shows: dict[int, bool] = {}
            if readers:
                held = await tx.feeds.holding(readers, status_id)
                # Absent: no longer following.
                shows = await tx.feeds.show_reblogs_of(readers, post.author_id)
                readers = [r for r in readers if r not in held and r in shows]
            follows: dict[int, set[int]] = {}
            shuns: dict[int, set[int]] = {}
            target = post.in_reply_to_account_id
            if readers and post.replies_to_other and target is not None:
                follows = await tx.feeds.followed_by(readers, [target])
            if readers:
                parties = [post.author_id, *post.other_party_ids]
                shuns = await tx.feeds.shunned_by(readers, parties)
        taken = {
            reader
            for reader in readers
            if home_accepts(
                post,
                ReaderFacts(
                    reader,
                    show_reblogs=shows[reader],
                    shuns=frozenset(shuns.get(reader, ())),
                    follows=frozenset(follows.get(reader, ())),
                ),
            )
        }
        return [viewer_id in taken for viewer_id in viewer_ids]

    # --- list streams -------------------------------------------------------------------

    async def list_members(self, owner_id: int, list_id: int) -> set[int] | None:
        """The members of the owner's list, None when it is not theirs (or gone)."""
        async with self.store.read() as tx:
            found = await tx.lists.get(list_id)
            if found is None or found.account_id != owner_id:
                return None
            return {account_id for _, account_id in await tx.lists.members_page(list_id, None)}

    async def list_takes(self, owner_id: int, list_id: int, status_id: int) -> bool:
        """Whether the list timeline shows the post: its author is a member, and the
        list's rules (replies policy, reblogs, blocks and mutes) let it through."""
        async with self.store.read() as tx:
            found = await tx.lists.get(list_id)
            post = await _post(tx, status_id)
            if found is None or found.account_id != owner_id or post is None:
                return False
            if not await tx.lists.members_among(list_id, [post.author_id]):
                return False
            show_reblogs = await tx.feeds.show_reblogs(owner_id, post.author_id)
            if show_reblogs is None:
                return False
            item = ListPost(post, show_reblogs=show_reblogs)
            return bool(await accepted_by_list(tx, found, [item]))

    # --- deletions ----------------------------------------------------------------------

    async def could_have_seen(
        self,
        event: StreamEvent,
        key: StreamKey,
        viewer_id: int | None,
        list_members: Collection[int] = (),
    ) -> bool:
        """Whether a connection on ``key`` could have been shown the deleted status."""
        assert event.channel == DELETES
        involved = viewer_id is not None and (
            viewer_id == event.author_id or viewer_id in event.mentioned_ids
        )
        if key.name == DIRECT:
            return event.visibility == Visibility.DIRECT.value and involved
        if key.name == LIST:
            return event.visibility != Visibility.DIRECT.value and event.author_id in list_members
        if key.name != USER:
            return event.visibility == Visibility.PUBLIC.value
        if viewer_id is None:
            return False
        if involved:
            return True
        if event.visibility == Visibility.DIRECT.value or event.author_id is None:
            return False
        async with self.store.read() as tx:
            return await tx.graph.is_following(viewer_id, event.author_id)
