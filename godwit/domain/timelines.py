"""Home-feed rules: who receives a post on write, what a reader sees merged at read time.

Fan-out on write copies a post's id into each recipient's home feed. Authors with very many
followers are the exception: their posts are not copied but merged into each reader's page
at read time (``fans_out_to_followers``). Both paths apply the same ``home_accepts`` rule,
as Mastodon's FeedManager does for home feeds.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from godwit.domain.pagination import PageRequest
from godwit.domain.posts import Status, Visibility

# Readers' feeds are trimmed on roughly one insert in TRIM_EVERY, so a feed grows at most
# a little past its cap between trims while the hot path stays one INSERT per batch.
TRIM_EVERY = 16
BACKFILL_STATUSES = 40
PUBLIC_VISIBILITIES = (Visibility.PUBLIC, Visibility.UNLISTED)
FOLLOWER_VISIBILITIES = (Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE)


def entry_key(status_id: int, reblog_of_id: int | None) -> int:
    """What a feed entry shows: a reblog and its original share one key, so a reader's
    feed holds the post once however many followed accounts boost it."""
    return reblog_of_id if reblog_of_id is not None else status_id


@dataclass(frozen=True, slots=True)
class FeedPost:
    """What the feed rules need to know about one status (and, for a reblog, its original)."""

    status_id: int
    author_id: int
    visibility: Visibility
    reblog_of_id: int | None = None
    original_author_id: int | None = None  # author of the reblogged status
    in_reply_to_account_id: int | None = None

    @classmethod
    def of(cls, status: Status, original: Status | None = None) -> FeedPost:
        return cls(
            status_id=status.id,
            author_id=status.account_id,
            visibility=status.visibility,
            reblog_of_id=status.reblog_of_id,
            original_author_id=original.account_id if original else None,
            in_reply_to_account_id=status.in_reply_to_account_id,
        )

    @property
    def entry_key(self) -> int:
        return entry_key(self.status_id, self.reblog_of_id)

    @property
    def is_reblog(self) -> bool:
        return self.reblog_of_id is not None

    @property
    def replies_to_other(self) -> bool:
        """A reply to someone else (a self-reply, a thread, is not)."""
        return (
            self.in_reply_to_account_id is not None
            and self.in_reply_to_account_id != self.author_id
        )

    @property
    def other_party_ids(self) -> tuple[int, ...]:
        """Accounts besides the author whose relation to the reader matters."""
        ids = []
        if self.original_author_id is not None:
            ids.append(self.original_author_id)
        if self.replies_to_other and self.in_reply_to_account_id is not None:
            ids.append(self.in_reply_to_account_id)
        return tuple(ids)


@dataclass(frozen=True, slots=True)
class ReaderFacts:
    """What one reader has to do with a post's accounts, gathered in bulk per batch."""

    account_id: int
    show_reblogs: bool = True
    shuns: frozenset[int] = frozenset()  # accounts the reader blocks/is blocked by/mutes
    follows: frozenset[int] = frozenset()  # among the post's other parties, whom they follow


def home_accepts(post: FeedPost, reader: ReaderFacts) -> bool:
    """Whether a follower's home feed takes the post (Mastodon's home filter)."""
    if reader.account_id == post.author_id:
        return True  # your own posts are always in your home
    if post.author_id in reader.shuns:
        return False
    if post.visibility is Visibility.DIRECT:
        return False  # reaches mentioned accounts only, never followers as such
    if post.is_reblog:
        if not reader.show_reblogs or reader.account_id == post.original_author_id:
            return False
        if post.original_author_id in reader.shuns:
            return False
    if post.replies_to_other:
        # Only for those who follow the person replied to (or are that person).
        return (
            post.in_reply_to_account_id in reader.follows
            or post.in_reply_to_account_id == reader.account_id
        )
    return True


def mention_accepts(post: FeedPost, reader: ReaderFacts) -> bool:
    """A mentioned account gets the post in its home unless it shuns the author."""
    return reader.account_id == post.author_id or post.author_id not in reader.shuns


def fans_out_to_followers(post: FeedPost, follower_count: int, read_threshold: int) -> bool:
    """Copy to followers' feeds? Not for direct posts, and not for authors so followed that
    writing every feed costs more than merging their posts when a reader reads."""
    return post.visibility is not Visibility.DIRECT and follower_count <= read_threshold


def merge_floor(read_threshold: int) -> int:
    """Followers above which a followed account's posts are merged into home pages at read
    time: half the fan-out threshold. Posts an account made while above the threshold were
    never written to feeds, so they stay merged when it falls a little below it; and a home
    stream listens to an account before it crosses. Posts of an account between the two
    are both written and merged; a page shows each once."""
    return read_threshold // 2


def delivers_to_mentions(post: FeedPost, follower_count: int, read_threshold: int) -> bool:
    """Mentioned accounts get the post directly when followers do not get it written."""
    return not fans_out_to_followers(post, follower_count, read_threshold)


def trim_due(reader_id: int, status_id: int, every: int = TRIM_EVERY) -> bool:
    """Whether this insert should also trim the reader's feed. Deterministic (tests can
    predict it) yet spread evenly, since status ids end in random bits."""
    if every <= 1:
        return True
    mixed = zlib.crc32(reader_id.to_bytes(8, "big") + status_id.to_bytes(8, "big"))
    return mixed % every == 0


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One candidate for a home page: a feed entry or a merged big-account status."""

    status_id: int
    entry_key: int


def merge_page(sources: Iterable[Sequence[FeedItem]], page: PageRequest) -> list[int]:
    """Status ids for one page from several newest-first sources, each already cut to the
    page's window: newest first, ``page.limit`` of them, one per entry key. For a
    ``min_id`` page the ones just above ``min_id`` are kept, still newest first."""
    by_id = {item.status_id: item for source in sources for item in source}
    ordered = sorted(by_id.values(), key=lambda item: item.status_id, reverse=True)
    if page.ascending:
        ordered = ordered[-page.limit :] if len(ordered) > page.limit else ordered
    else:
        ordered = ordered[: page.limit]
    seen: set[int] = set()
    result = []
    for item in reversed(ordered):  # oldest first: the first arrival of an entry wins
        if item.entry_key not in seen:
            seen.add(item.entry_key)
            result.append(item.status_id)
    result.reverse()
    return result


def next_window(page: PageRequest, scanned_ids: Sequence[int]) -> PageRequest:
    """The window beyond ids already scanned, to refill a page that filtering thinned:
    older for a normal page, newer for a ``min_id`` page."""
    if page.ascending:
        return PageRequest(limit=page.limit, min_id=max(scanned_ids), max_id=page.max_id)
    return PageRequest(
        limit=page.limit, max_id=min(scanned_ids), since_id=page.since_id, min_id=page.min_id
    )


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One row of a reader's home feed."""

    reader_id: int
    status_id: int
    entry_key: int
    author_id: int


class TimelineScope:
    """Which statuses a public or tag timeline shows, by origin."""

    ALL = "all"
    LOCAL = "local"
    REMOTE = "remote"

    @staticmethod
    def of(local: bool | None, remote: bool | None) -> str:
        if local:
            return TimelineScope.LOCAL
        if remote:
            return TimelineScope.REMOTE
        return TimelineScope.ALL


def normalise_tag(name: str) -> str:
    """Tags match case-insensitively and without their leading '#'."""
    return name.strip().lstrip("#").casefold()
