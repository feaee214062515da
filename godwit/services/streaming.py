"""Streaming: publishing committed events, and deciding per viewer what a connection delivers.

Publishing is best effort and happens after commit (the store calls ``publish_events``): a
failure is logged and never undoes or fails the write. Delivery re-checks everything for
the connection's viewer at the moment it sends (visibility, blocks, mutes), through the
same ``present_statuses`` read path as the timelines.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from godwit.domain.errors import NotFound
from godwit.domain.posts import StatusView, Visibility
from godwit.domain.streaming import DELETES, StreamEvent, StreamKey
from godwit.ports.pubsub import PubSub, Subscription
from godwit.ports.store import Store
from godwit.services.notifications import NotificationService, NotificationView
from godwit.services.presenting import present_statuses

log = logging.getLogger("godwit.streaming")


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


class StreamingService:
    def __init__(self, store: Store, pubsub: PubSub, notifications: NotificationService) -> None:
        self.store = store
        self.pubsub = pubsub
        self.notifications = notifications

    async def listen(self, channels: Sequence[str]) -> Subscription:
        return await self.pubsub.subscribe(channels)

    async def status_for(self, status_id: int, viewer_id: int | None) -> StatusView | None:
        """The status as ``viewer_id`` may see it now, or None (hidden, deleted, blocked or
        muted author — of the status or of the reblogged original)."""
        async with self.store.read() as tx:
            views = await present_statuses(tx, [status_id], viewer_id)
            if not views:
                return None
            view = views[0]
            if viewer_id is None:
                return view
            authors = {view.status.account_id}
            if view.reblog is not None:
                authors.add(view.reblog.status.account_id)
            authors.discard(viewer_id)
            if authors and await tx.graph.muted(viewer_id, sorted(authors)):
                return None
            return view

    async def notification_for(
        self, notification_id: int, viewer_id: int
    ) -> NotificationView | None:
        try:
            return await self.notifications.get(viewer_id, notification_id)
        except NotFound:
            return None

    async def could_have_seen(
        self, event: StreamEvent, key: StreamKey, viewer_id: int | None
    ) -> bool:
        """Whether a connection on ``key`` could have been shown the deleted status."""
        assert event.channel == DELETES
        if key.name != "user":
            return event.visibility == Visibility.PUBLIC.value
        if viewer_id is None:
            return False
        if viewer_id == event.author_id or viewer_id in event.mentioned_ids:
            return True
        if event.visibility == Visibility.DIRECT.value or event.author_id is None:
            return False
        async with self.store.read() as tx:
            return await tx.graph.is_following(viewer_id, event.author_id)
