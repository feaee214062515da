"""The streams clients subscribe to, as Mastodon names them, and which events each carries.

A stream listens on fixed pub/sub channels (``StreamKey.channels``); home and list streams
also listen on author channels that change while they are open (the big accounts one
follows, a list's members), which the connection's session keeps up to date.
"""

from __future__ import annotations

from dataclasses import dataclass

from godwit.domain.streaming import (
    CONVERSATION,
    DELETES,
    FILTERS_CHANGED,
    INTERNAL_EVENTS,
    NOTIFICATION,
    NOTIFICATIONS_MERGED,
    STATUS_UPDATE,
    UPDATE,
    StreamEvent,
    author_of_channel,
    direct_channel,
    hashtag_channel,
    list_channel,
    user_channel,
)

USER = "user"
USER_NOTIFICATION = "user:notification"
LIST = "list"
DIRECT = "direct"
MEDIA_SUFFIX = ":media"

USER_STREAMS = frozenset({USER, USER_NOTIFICATION})
PUBLIC_STREAMS = frozenset({"public", "public:local", "public:remote"})
MEDIA_STREAMS = frozenset(name + MEDIA_SUFFIX for name in PUBLIC_STREAMS)
HASHTAG_STREAMS = frozenset({"hashtag", "hashtag:local"})
# Streams that need a member's token: they show what one member sees.
MEMBER_STREAMS = USER_STREAMS | {LIST, DIRECT}
SUPPORTED_STREAMS = MEMBER_STREAMS | PUBLIC_STREAMS | MEDIA_STREAMS | HASHTAG_STREAMS
STATUS_EVENTS = frozenset({UPDATE, STATUS_UPDATE})

# What a user stream carries besides statuses.
USER_EVENTS = frozenset({NOTIFICATION, FILTERS_CHANGED, NOTIFICATIONS_MERGED})


class StreamError(ValueError):
    """A stream a client asked for that does not exist or needs what it did not give."""


@dataclass(frozen=True, slots=True)
class StreamKey:
    """One stream a connection listens to, as Mastodon names it in frames."""

    name: str
    tag: str | None = None
    list_id: int | None = None

    @property
    def frame_name(self) -> list[str]:
        if self.tag is not None:
            return [self.name, self.tag]
        if self.list_id is not None:
            return [self.name, str(self.list_id)]
        return [self.name]

    @property
    def needs_user(self) -> bool:
        return self.name in MEMBER_STREAMS

    @property
    def only_media(self) -> bool:
        return self.name in MEDIA_STREAMS

    @property
    def filter_context(self) -> str:
        """The filter context statuses on this stream are shown in."""
        return "home" if self.name in (USER, LIST) else "public"

    def channels(self, viewer_id: int | None) -> list[str]:
        """The fixed pub/sub channels this stream listens on (deletions included)."""
        if self.name in MEMBER_STREAMS:
            assert viewer_id is not None
        if self.name == USER:
            return [user_channel(viewer_id or 0), DELETES]
        if self.name == USER_NOTIFICATION:
            return [user_channel(viewer_id or 0)]
        if self.name == DIRECT:
            return [direct_channel(viewer_id or 0), DELETES]
        if self.name == LIST:
            assert self.list_id is not None
            return [list_channel(self.list_id), DELETES]
        if self.name in PUBLIC_STREAMS | MEDIA_STREAMS:
            return [self.name.removesuffix(MEDIA_SUFFIX), DELETES]
        assert self.tag is not None
        return [hashtag_channel(self.tag, local=self.name == "hashtag:local"), DELETES]

    def carries(self, event: StreamEvent, viewer_id: int | None) -> bool:
        """Whether this stream takes ``event`` at all (before the session checks author
        channels against whom it follows or lists, and the per-viewer visibility check)."""
        if event.event in INTERNAL_EVENTS:
            return False
        if event.channel == DELETES:
            return self.name != USER_NOTIFICATION
        if author_of_channel(event.channel) is not None:
            return self.name in (USER, LIST) and event.event in STATUS_EVENTS
        if event.channel not in self.channels(viewer_id):
            return False
        if self.name == USER_NOTIFICATION:
            return event.event in (NOTIFICATION, NOTIFICATIONS_MERGED)
        if self.name == USER:
            return event.event in STATUS_EVENTS | USER_EVENTS
        if self.name == DIRECT:
            return event.event == CONVERSATION
        return event.event in STATUS_EVENTS


def _list_id(raw: str | int | None) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
        return raw
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit() and int(raw) > 0:
        return int(raw)
    raise StreamError("Missing list name parameter" if not raw else "Invalid list id")


def stream_key(name: str, tag: str | None = None, list_param: str | int | None = None) -> StreamKey:
    """Parse a requested stream, raising StreamError for unknown or incomplete ones."""
    if name not in SUPPORTED_STREAMS:
        raise StreamError("Unknown stream type")
    if name in HASHTAG_STREAMS:
        cleaned = (tag or "").strip().lstrip("#")
        if not cleaned:
            raise StreamError("No tag for stream provided")
        return StreamKey(name, cleaned)
    if name == LIST:
        return StreamKey(name, list_id=_list_id(list_param))
    return StreamKey(name)
