"""One streaming connection's session: the channels it listens to and what it delivers.

A session holds one pub/sub subscription for all the streams of its connection. Besides
each stream's fixed channels it listens to author channels that change while it is open:

- a ``user`` stream, to those of the big accounts its viewer follows (their posts are
  merged into home timelines at read time, never written to followers' feeds), re-read
  when the viewer follows or unfollows someone;
- a ``list`` stream, to those of the list's members, re-read when the list changes.

So a big account's post is published once, on its own channel, and reaches exactly the
open home streams of its followers, whatever its number of followers. Every delivery is
then re-checked for the viewer by ``StreamingService`` at the moment it is sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass

from godwit.domain.errors import NotFound
from godwit.domain.posts import StatusView
from godwit.domain.streaming import (
    CONVERSATION,
    DELETE,
    DELETES,
    FILTERS_CHANGED,
    FOLLOWS_CHANGED,
    LIST_CHANGED,
    NOTIFICATION,
    NOTIFICATIONS_MERGED,
    UPDATE,
    StreamEvent,
    author_channel,
    author_of_channel,
    user_channel,
)
from godwit.domain.streams import HASHTAG_STREAMS, LIST, PUBLIC_STREAMS, USER, StreamKey
from godwit.ports.pubsub import Subscription
from godwit.services.conversations import ConversationView
from godwit.services.notifications import NotificationView
from godwit.services.streaming import StreamingService

log = logging.getLogger("godwit.streaming")

# Deliveries remembered to drop a repeat (a job that ran twice, or a post that reached a
# home stream both through the feed and through its author's channel).
RECENT_DELIVERIES = 512

Item = StatusView | NotificationView | ConversationView | int | None


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event for one stream of the connection: a status (update, status.update), a
    notification, a conversation, a deleted status's id (delete) or nothing
    (filters_changed)."""

    key: StreamKey
    event: str
    item: Item


class StreamSession:
    def __init__(self, streaming: StreamingService, viewer_id: int | None) -> None:
        self.streaming = streaming
        self.viewer_id = viewer_id
        self.keys: set[StreamKey] = set()
        self.subscription: Subscription | None = None
        self._big: dict[int, bool] = {}  # followed big accounts (for a user stream)
        self._members: dict[int, frozenset[int]] = {}  # list id -> its members
        self._recent: OrderedDict[tuple[object, ...], None] = OrderedDict()
        # Client (un)subscriptions and refreshes from events change the channels.
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        self.subscription = await self.streaming.listen([])

    async def close(self) -> None:
        if self.subscription is not None:
            await self.subscription.close()

    # --- channels ---------------------------------------------------------------------

    def _has_user_stream(self) -> bool:
        return any(key.name == USER for key in self.keys)

    def _channels(self) -> set[str]:
        channels = {channel for key in self.keys for channel in key.channels(self.viewer_id)}
        if self._has_user_stream():
            channels |= {author_channel(author) for author in self._big}
        for members in self._members.values():
            channels |= {author_channel(author) for author in members}
        return channels

    async def _switch(self, before: set[str]) -> None:
        assert self.subscription is not None
        after = self._channels()
        if after - before:
            await self.subscription.subscribe(sorted(after - before))
        if before - after:
            await self.subscription.unsubscribe(sorted(before - after))

    async def add(self, key: StreamKey) -> None:
        """Listen to ``key`` too. NotFound for a list that is not the viewer's."""
        async with self._lock:
            before = self._channels()
            if key.name == LIST:
                assert key.list_id is not None
                assert self.viewer_id is not None
                members = await self.streaming.list_members(self.viewer_id, key.list_id)
                if members is None:
                    raise NotFound()
                self._members[key.list_id] = frozenset(members)
            if key.name == USER and not self._has_user_stream():
                assert self.viewer_id is not None
                self._big = await self.streaming.big_followed(self.viewer_id)
            self.keys.add(key)
            await self._switch(before)

    async def remove(self, key: StreamKey) -> None:
        async with self._lock:
            before = self._channels()
            self.keys.discard(key)
            if key.list_id is not None:
                self._members.pop(key.list_id, None)
            if not self._has_user_stream():
                self._big = {}
            await self._switch(before)

    async def _refresh_big(self) -> None:
        if not self._has_user_stream() or self.viewer_id is None:
            return
        big = await self.streaming.big_followed(self.viewer_id)
        async with self._lock:
            before = self._channels()
            self._big = big
            await self._switch(before)

    async def _refresh_list(self, list_id: int) -> None:
        if list_id not in self._members or self.viewer_id is None:
            return
        members = await self.streaming.list_members(self.viewer_id, list_id)
        async with self._lock:
            if list_id in self._members:  # not unsubscribed meanwhile
                before = self._channels()
                self._members[list_id] = frozenset(members or ())  # a deleted list: none
                await self._switch(before)

    # --- events -----------------------------------------------------------------------

    async def deliveries(self) -> AsyncIterator[list[Delivery]]:
        """What each event of the subscription delivers (events delivering nothing are
        skipped); ends when the session is closed."""
        assert self.subscription is not None
        async for message in self.subscription:
            event = StreamEvent.decode(message.channel, message.data)
            if event is None:
                continue
            try:
                found = await self.handle(event)
            except Exception:
                # One event that fails must not end the connection's stream.
                log.exception("streaming event %s %s not delivered", event.event, event.object_id)
                continue
            if found:
                yield found

    async def handle(self, event: StreamEvent) -> list[Delivery]:
        if event.event == FOLLOWS_CHANGED:
            if self.viewer_id is not None and event.channel == user_channel(self.viewer_id):
                await self._refresh_big()
            return []
        if event.event == LIST_CHANGED:
            await self._refresh_list(event.object_id)
            return []
        keys = sorted(
            (k for k in self.keys if k.carries(event, self.viewer_id) and self._from(k, event)),
            key=lambda k: k.frame_name,
        )
        statuses: dict[tuple[str, bool], StatusView | None] = {}
        deliveries = []
        for key in keys:
            delivery = await self._deliver(key, event, statuses)
            if delivery is not None and self._fresh(delivery):
                deliveries.append(delivery)
        return deliveries

    def _from(self, key: StreamKey, event: StreamEvent) -> bool:
        """An author channel feeds a user stream with the merged posts of the big accounts
        it follows, and a list stream with its members' posts."""
        author = author_of_channel(event.channel)
        if author is None:
            return True
        if key.name == USER:
            return event.merged and author in self._big
        return key.list_id is not None and author in self._members.get(key.list_id, ())

    async def _deliver(
        self,
        key: StreamKey,
        event: StreamEvent,
        statuses: dict[tuple[str, bool], StatusView | None],
    ) -> Delivery | None:
        streaming, viewer = self.streaming, self.viewer_id
        if event.channel == DELETES:
            members = self._members.get(key.list_id, frozenset()) if key.list_id else frozenset()
            if await streaming.could_have_seen(event, key, viewer, members):
                return Delivery(key, DELETE, event.object_id)
            return None
        if event.event == FILTERS_CHANGED:
            return Delivery(key, FILTERS_CHANGED, None)
        if event.event == NOTIFICATIONS_MERGED:
            return Delivery(key, NOTIFICATIONS_MERGED, 1)  # Mastodon's payload: "1"
        if viewer is not None and event.event == NOTIFICATION:
            notification = await streaming.notification_for(event.object_id, viewer)
            return Delivery(key, NOTIFICATION, notification) if notification else None
        if viewer is not None and event.event == CONVERSATION:
            conversation = await streaming.conversation_for(event.object_id, viewer)
            return Delivery(key, CONVERSATION, conversation) if conversation else None
        # update and status.update
        if not await self._takes(key, event):
            return None
        home = key.name == USER
        memo = (key.filter_context, home)
        if memo not in statuses:
            statuses[memo] = await streaming.status_for(
                event.object_id, viewer, context=key.filter_context, home=home
            )
        view = statuses[memo]
        if view is None:
            return None
        if key.only_media and not (view.reblog or view).media_attachments:
            return None
        if key.name in PUBLIC_STREAMS | HASHTAG_STREAMS and not await self._may_see_limited(view):
            return None
        return Delivery(key, event.event, view)

    async def _may_see_limited(self, view: StatusView) -> bool:
        """Limited (silenced) accounts stay out of public and hashtag streams, as out of
        those timelines, except for their followers and themselves."""
        limited = {
            v.account.id for v in (view, view.reblog) if v is not None and v.account.silenced
        }
        limited.discard(self.viewer_id or 0)
        if not limited:
            return True
        if self.viewer_id is None:
            return False
        return await self.streaming.follows_all(self.viewer_id, limited)

    async def _takes(self, key: StreamKey, event: StreamEvent) -> bool:
        """A list stream shows what the list timeline would; a home stream takes a big
        account's post from its channel when the home timeline would merge it."""
        viewer = self.viewer_id
        if viewer is None:
            return True
        if key.name == LIST and key.list_id is not None:
            return await self.streaming.list_takes(viewer, key.list_id, event.object_id)
        if author_of_channel(event.channel) is not None:
            return await self.streaming.home_takes(viewer, event.object_id)
        return True

    def _fresh(self, delivery: Delivery) -> bool:
        """False for an ``update`` or ``delete`` this stream already delivered."""
        if delivery.event not in (UPDATE, DELETE):
            return True
        item = delivery.item
        object_id = item.status.id if isinstance(item, StatusView) else item
        seen = (tuple(delivery.key.frame_name), delivery.event, object_id)
        if seen in self._recent:
            return False
        self._recent[seen] = None
        if len(self._recent) > RECENT_DELIVERIES:
            self._recent.popitem(last=False)
        return True
