"""Seeding: a whole community written at once (``godwit demo``), described in domain terms.

``SeedCommunity`` is what the caller asks for (members, follows, posts and reactions, each
with its time). ``SeedPlan`` is every row the services would have written for it, computed
by ``godwit.domain.seeding_plan`` and stored in bulk by the seeding port.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from godwit.domain.notifications import Notification
from godwit.domain.posting import NewStatus
from godwit.domain.timelines import FeedEntry

FAVOURITE = "favourite"
REBLOG = "reblog"


@dataclass(frozen=True, slots=True)
class SeedMember:
    username: str
    email: str
    display_name: str
    bio: str  # as written; rendered like a profile note
    joined: dt.datetime


@dataclass(frozen=True, slots=True)
class SeedFollow:
    follower: int  # index into SeedCommunity.members
    followed: int
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class SeedPost:
    author: int  # index into SeedCommunity.members
    text: str
    at: dt.datetime
    reply_to: int | None = None  # index of an earlier post in SeedCommunity.posts


@dataclass(frozen=True, slots=True)
class SeedReaction:
    member: int
    post: int  # index into SeedCommunity.posts
    kind: str  # FAVOURITE or REBLOG
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class SeedCommunity:
    """Members who joined, and follows made, before the first post; posts in time order."""

    members: tuple[SeedMember, ...]
    follows: tuple[SeedFollow, ...]
    posts: tuple[SeedPost, ...]
    reactions: tuple[SeedReaction, ...]


@dataclass(frozen=True, slots=True)
class SeedAccount:
    """A local account and its login, counters already final. The key pair and the
    password hash are filled in by the service (they are made on worker pools)."""

    id: int
    user_id: int
    username: str
    email: str  # normalised
    display_name: str
    note: str  # rendered HTML
    note_source: str
    base_url: str  # the instance's, for the account's canonical addresses
    created_at: dt.datetime
    statuses_count: int = 0
    followers_count: int = 0
    following_count: int = 0
    last_status_at: dt.datetime | None = None
    public_key_pem: str = ""
    private_key_pem: str = ""
    password_hash: str = ""


@dataclass(frozen=True, slots=True)
class SeedStatus:
    """A status (or a reblog, its mentions and tags in ``new``) with its final counters."""

    new: NewStatus
    replies_count: int = 0
    reblogs_count: int = 0
    favourites_count: int = 0


@dataclass(frozen=True, slots=True)
class SeedTag:
    id: int
    name: str  # tag_key: casefolded
    display_name: str  # the first spelling used
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SeedEdge:
    """A follows or favourites row: who, to whom (account or status), when."""

    id: int
    account_id: int
    target_id: int
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SeedPlan:
    accounts: tuple[SeedAccount, ...]
    follows: tuple[SeedEdge, ...]  # target: the followed account
    tags: tuple[SeedTag, ...]
    statuses: tuple[SeedStatus, ...]  # in time order: a parent before its replies
    status_tags: tuple[tuple[int, int], ...]  # (status_id, tag_id)
    favourites: tuple[SeedEdge, ...]  # target: the favourited status
    home_feed: tuple[FeedEntry, ...]
    notifications: tuple[Notification, ...]
    post_ids: tuple[int, ...]  # status id of each SeedCommunity.posts entry

    @property
    def row_count(self) -> int:
        mentions = sum(len(status.new.mentioned_account_ids) for status in self.statuses)
        return (
            2 * len(self.accounts)  # and their users
            + len(self.follows)
            + len(self.tags)
            + len(self.statuses)
            + mentions
            + len(self.status_tags)
            + len(self.favourites)
            + len(self.home_feed)
            + len(self.notifications)
        )
