"""Streaming rules: channel names, the events published on them, and the streams clients ask for.

Events carry ids, never rendered JSON: each connection renders for its own viewer and
re-checks visibility, blocks and mutes when it delivers, so one published event can never
leak a post to someone who may not see it. Events are collected in a transaction's
``EventOutbox`` and published only after the transaction commits (a rolled-back write
publishes nothing; a failed publish loses no committed data — the timelines stay the truth).
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
EVENTS = frozenset({UPDATE, NOTIFICATION, DELETE, STATUS_UPDATE})


def user_channel(account_id: int) -> str:
    return f"user:{account_id}"


def hashtag_channel(tag: str, *, local: bool) -> str:
    return f"hashtag:local:{tag_key(tag)}" if local else f"hashtag:{tag_key(tag)}"


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """One event on one channel. For deletions: the author, the visibility the status had
    and the local accounts it mentioned, so listeners can tell who could have seen it."""

    channel: str
    event: str
    object_id: int
    author_id: int | None = None
    visibility: str | None = None
    mentioned_ids: tuple[int, ...] = ()

    def encode(self) -> str:
        return json.dumps(
            {
                "event": self.event,
                "id": self.object_id,
                "author": self.author_id,
                "visibility": self.visibility,
                "mentioned": list(self.mentioned_ids),
            },
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, channel: str, raw: bytes | str) -> StreamEvent | None:
        """The event, or None for anything malformed (never trust the wire)."""
        try:
            data: Any = json.loads(raw)
            event = data["event"]
            object_id = data["id"]
            author = data.get("author")
            mentioned = data.get("mentioned") or []
        except (ValueError, TypeError, KeyError):
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
) -> list[StreamEvent]:
    """The public-stream "update" events of a new status (home streams get theirs from
    fan-out). Only public statuses reach public streams; replies to someone else stay out
    of the public streams but still reach hashtag streams, as in Mastodon."""
    if not public:
        return []
    channels: list[str] = []
    if not replies_to_other:
        channels += [PUBLIC, PUBLIC_LOCAL if author_local else PUBLIC_REMOTE]
    for tag in dict.fromkeys(tag_key(t) for t in tags):
        channels.append(hashtag_channel(tag, local=False))
        if author_local:
            channels.append(hashtag_channel(tag, local=True))
    return [StreamEvent(channel, UPDATE, status_id) for channel in channels]


# --- the streams clients subscribe to ----------------------------------------------------

USER_STREAMS = frozenset({"user", "user:notification"})
PUBLIC_STREAMS = frozenset({"public", "public:local", "public:remote"})
HASHTAG_STREAMS = frozenset({"hashtag", "hashtag:local"})
SUPPORTED_STREAMS = USER_STREAMS | PUBLIC_STREAMS | HASHTAG_STREAMS


class StreamError(ValueError):
    """A stream a client asked for that does not exist or needs what it did not give."""


@dataclass(frozen=True, slots=True)
class StreamKey:
    """One stream a connection listens to, as Mastodon names it in frames."""

    name: str
    tag: str | None = None

    @property
    def frame_name(self) -> list[str]:
        return [self.name, self.tag] if self.tag is not None else [self.name]

    @property
    def needs_user(self) -> bool:
        return self.name in USER_STREAMS

    def channels(self, viewer_id: int | None) -> list[str]:
        """The pub/sub channels this stream listens on (deletions included)."""
        if self.name in USER_STREAMS:
            assert viewer_id is not None
            return (
                [user_channel(viewer_id), DELETES]
                if self.name == "user"
                else [user_channel(viewer_id)]
            )
        if self.name in PUBLIC_STREAMS:
            return [self.name, DELETES]
        assert self.tag is not None
        return [hashtag_channel(self.tag, local=self.name == "hashtag:local"), DELETES]

    def wants(self, event: StreamEvent, viewer_id: int | None) -> bool:
        """Whether this stream carries ``event`` (before the per-viewer visibility check)."""
        if event.channel == DELETES:
            return self.name != "user:notification"
        if event.channel not in self.channels(viewer_id):
            return False
        if self.name == "user:notification":
            return event.event == NOTIFICATION
        return True


def stream_key(name: str, tag: str | None) -> StreamKey:
    """Parse a requested stream, raising StreamError for unknown or incomplete ones."""
    if name not in SUPPORTED_STREAMS:
        raise StreamError("Unknown stream type")
    if name in HASHTAG_STREAMS:
        cleaned = (tag or "").strip().lstrip("#")
        if not cleaned:
            raise StreamError("No tag for stream provided")
        return StreamKey(name, cleaned)
    return StreamKey(name)
