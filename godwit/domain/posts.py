"""Statuses (posts), their visibility, and what a reader may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from godwit.domain.accounts import Account
from godwit.domain.cards import PreviewCard
from godwit.domain.filters import FilterMatch
from godwit.domain.media import MediaAttachment
from godwit.domain.polls import PollView


class Visibility(StrEnum):
    PUBLIC = "public"
    UNLISTED = "unlisted"
    PRIVATE = "private"  # followers only
    DIRECT = "direct"  # mentioned accounts only

    @classmethod
    def parse(cls, value: object) -> Visibility | None:
        try:
            return cls(str(value))
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class Mention:
    account_id: int
    username: str
    acct: str
    url: str


@dataclass(frozen=True, slots=True)
class Status:
    id: int
    account_id: int
    uri: str
    url: str
    local: bool
    text: str  # source
    content: str  # rendered HTML
    spoiler_text: str
    sensitive: bool
    visibility: Visibility
    language: str | None
    in_reply_to_id: int | None
    in_reply_to_account_id: int | None
    reblog_of_id: int | None
    created_at: dt.datetime
    edited_at: dt.datetime | None = None
    application_id: int | None = None
    replies_count: int = 0
    reblogs_count: int = 0
    favourites_count: int = 0
    quote_of_id: int | None = None  # the status this one quotes
    # None: published. "pending", "held" or "rejected": the moderation pipeline keeps it
    # from everyone but its author (moderators see it in their queue).
    review_state: str | None = None

    @property
    def published(self) -> bool:
        return self.review_state is None


@dataclass(frozen=True, slots=True)
class ViewerState:
    """What one reader has done to a status (for the per-viewer fields of the entity)."""

    favourited: bool = False
    reblogged: bool = False
    bookmarked: bool = False
    muted: bool = False
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class Application:
    name: str
    website: str | None


@dataclass(frozen=True, slots=True)
class StatusView:
    """A status with everything needed to show it, loaded in a bounded number of queries."""

    status: Status
    account: Account
    mentions: tuple[Mention, ...] = ()
    tags: tuple[str, ...] = ()
    reblog: StatusView | None = None
    viewer: ViewerState = field(default_factory=ViewerState)
    application: Application | None = None
    # Who the view was loaded for (None: anonymous); the entity shows per-viewer fields
    # (favourited, reblogged, pinned…) only when there is one, as Mastodon does.
    viewer_id: int | None = None
    poll: PollView | None = None
    # The quoted status (quote_of_id), None when it is gone: the entity says "deleted".
    quote: StatusView | None = None
    # The viewer may not see the quoted status (blocked, suspended, not in its audience): the
    # entity says "unauthorized" and shows nothing of it.
    quote_hidden: bool = False
    # The viewer's filters matching this status in the context it is shown in (FilterResult).
    filtered: tuple[FilterMatch, ...] = ()
    media_attachments: tuple[MediaAttachment, ...] = ()  # in the order they were attached
    card: PreviewCard | None = None  # the preview card of its first link, once fetched


@dataclass(frozen=True, slots=True)
class Audience:
    """What the visibility rules need to know about one reader and one author."""

    viewer_id: int | None
    follows_author: bool
    is_mentioned: bool
    blocked: bool  # either side blocks the other


def can_see(status: Status, audience: Audience) -> bool:
    """The single visibility rule every read path applies."""
    if audience.viewer_id == status.account_id:
        return True
    if not status.published:
        return False
    if audience.blocked:
        return False
    if status.visibility in (Visibility.PUBLIC, Visibility.UNLISTED):
        return True
    if status.visibility is Visibility.PRIVATE:
        return audience.follows_author or audience.is_mentioned
    return audience.is_mentioned
