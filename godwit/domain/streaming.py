"""Streaming rules: channel names and the events published on them.

Events carry ids, never rendered JSON: each connection renders for its own viewer and
re-checks visibility, blocks and mutes when it delivers, so one published event can never
leak a post to someone who may not see it. Events are collected in a transaction's
``EventOutbox`` and published only after the transaction commits (a rolled-back write
publishes nothing; a failed publish loses no committed data — the timelines stay the truth).

The streams clients subscribe to, and which events each carries, are in
``godwit.domain.streams``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from godwit.domain.text import tag_key

PUBLIC = "public"
PUBLIC_LOCAL = "public:local"
PUBLIC_REMOTE = "public:remote"
# Deletions go to one channel that every connection filters: a deleted status can no longer
# be looked up, so the event carries who could have seen it.
DELETES = "delete"

UPDATE = "update"
NOTIFICATION = "notification"
DELETE = "delete"
STATUS_UPDATE = "status.update"
CONVERSATION = "conversation"
FILTERS_CHANGED = "filters_changed"
# Accepted notification requests were merged into the notifications: clients reload them.
NOTIFICATIONS_MERGED = "notifications_merged"
# Internal events: they change what a connection listens to and never reach a client.
FOLLOWS_CHANGED = "follows.changed"  # on the follower's user channel; id: the followed
LIST_CHANGED = "list.changed"  # on the list's channel; id: the list
INTERNAL_EVENTS = frozenset({FOLLOWS_CHANGED, LIST_CHANGED})
EVENTS = (
    frozenset(
        {UPDATE, NOTIFICATION, DELETE, STATUS_UPDATE, CONVERSATION, FILTERS_CHANGED}
        | {NOTIFICATIONS_MERGED}
    )
    | INTERNAL_EVENTS
)

AUTHOR_PREFIX = "author:"


def user_channel(account_id: int) -> str:
    return f"user:{account_id}"


def direct_channel(account_id: int) -> str:
    """The account's conversations (the ``direct`` stream)."""
    return f"direct:{account_id}"


def list_channel(list_id: int) -> str:
    """Changes to one list (members, replies policy), for the list's streams."""
    return f"list:{list_id}"


def author_channel(account_id: int) -> str:
    """Every non-direct post and reblog of one author, published once per post. List
    streams listen to their members' channels; home streams to those of the big accounts
    they follow, whose posts are merged at read time instead of written to feeds."""
    return f"{AUTHOR_PREFIX}{account_id}"


def author_of_channel(channel: str) -> int | None:
    if not channel.startswith(AUTHOR_PREFIX):
        return None
    rest = channel.removeprefix(AUTHOR_PREFIX)
    return int(rest) if rest.isdigit() else None


def hashtag_channel(tag: str, *, local: bool) -> str:
    return f"hashtag:local:{tag_key(tag)}" if local else f"hashtag:{tag_key(tag)}"


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """One event on one channel. For deletions: the author, the visibility the status had
    and the local accounts it mentioned, so listeners can tell who could have seen it. On
    an author channel, ``merged`` says the post was not written to followers' home feeds
    (a big account's), so home streams must take it from there."""

    channel: str
    event: str
    object_id: int
    author_id: int | None = None
    visibility: str | None = None
    mentioned_ids: tuple[int, ...] = ()
    merged: bool = False

    def encode(self) -> str:
        data: dict[str, Any] = {
            "event": self.event,
            "id": self.object_id,
            "author": self.author_id,
            "visibility": self.visibility,
            "mentioned": list(self.mentioned_ids),
        }
        if self.merged:
            data["merged"] = True
        return json.dumps(data)  # the default encoder: made once (separators make one per call)

    @classmethod
    def decode(cls, channel: str, raw: bytes | str) -> StreamEvent | None:
        """The event, or None for anything malformed (never trust the wire)."""
        try:
            data: Any = json.loads(raw)
            event = data["event"]
            object_id = data["id"]
            author = data.get("author")
            mentioned = data.get("mentioned") or []
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        if event not in EVENTS or not _is_id(object_id):
            return None
        if author is not None and not _is_id(author):
            return None
        if not isinstance(mentioned, list) or not all(_is_id(m) for m in mentioned):
            return None
        visibility = data.get("visibility")
        return cls(
            channel=channel,
            event=event,
            object_id=object_id,
            author_id=author,
            visibility=visibility if isinstance(visibility, str) else None,
            mentioned_ids=tuple(mentioned),
            merged=data.get("merged") is True,
        )


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(slots=True)
class EventOutbox:
    """Events one transaction produced, published by the store after it commits."""

    events: list[StreamEvent] = field(default_factory=list)

    def emit(self, *events: StreamEvent) -> None:
        self.events.extend(events)

    def drain(self) -> list[StreamEvent]:
        drained, self.events = self.events, []
        return drained


def status_events(
    status_id: int,
    *,
    author_local: bool,
    public: bool,
    replies_to_other: bool,
    tags: tuple[str, ...],
    event: str = UPDATE,
) -> list[StreamEvent]:
    """The public-stream events of a new (``update``) or edited (``status.update``) status
    (home streams get theirs from fan-out). Only public statuses reach public streams;
    replies to someone else stay out of the public streams but still reach hashtag
    streams, as in Mastodon."""
    if not public:
        return []
    channels: list[str] = []
    if not replies_to_other:
        channels += [PUBLIC, PUBLIC_LOCAL if author_local else PUBLIC_REMOTE]
    for tag in dict.fromkeys(tag_key(t) for t in tags):
        channels.append(hashtag_channel(tag, local=False))
        if author_local:
            channels.append(hashtag_channel(tag, local=True))
    return [StreamEvent(channel, event, status_id) for channel in channels]


def filters_changed_event(account_id: int) -> StreamEvent:
    """Tells the member's user streams to reload their filters."""
    return StreamEvent(user_channel(account_id), FILTERS_CHANGED, account_id)


def notifications_merged_event(account_id: int) -> StreamEvent:
    """Tells the member's user and notification streams that accepted requests' notifications
    now show (Mastodon sends it once the merge is done)."""
    return StreamEvent(user_channel(account_id), NOTIFICATIONS_MERGED, account_id)


def follows_changed_event(follower_id: int, followed_id: int) -> StreamEvent:
    """Internal: the follower's home streams re-read which big accounts they follow."""
    return StreamEvent(user_channel(follower_id), FOLLOWS_CHANGED, followed_id)


def list_changed_event(list_id: int) -> StreamEvent:
    """Internal: the list's streams re-read its members."""
    return StreamEvent(list_channel(list_id), LIST_CHANGED, list_id)
