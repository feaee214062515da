"""Port for seeding: writing a whole planned community in bulk (``godwit demo``).

A ``SeedStore`` hands out one write transaction; its ``SeedWriter`` inserts each kind of
row in batches (few statements, one transaction), in the order foreign keys need:
accounts, follows, tags, statuses, status tags, favourites, home feed, notifications.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from godwit.domain.notifications import Notification
from godwit.domain.seeding import SeedAccount, SeedEdge, SeedStatus, SeedTag
from godwit.domain.timelines import FeedEntry


class SeedWriter(Protocol):
    async def taken_usernames(self, usernames: Sequence[str]) -> set[str]:
        """Which of these local usernames exist already (casefolded)."""
        ...

    async def taken_emails(self, emails: Sequence[str]) -> set[str]:
        """Which of these (normalised) emails a user has already."""
        ...

    async def existing_tags(self, names: Sequence[str]) -> dict[str, int]:
        """Ids of the tags (by tag_key) that exist already."""
        ...

    async def add_accounts(self, accounts: Sequence[SeedAccount]) -> None:
        """Accounts and their users, counters as given."""
        ...

    async def add_follows(self, follows: Sequence[SeedEdge]) -> None: ...

    async def add_tags(self, tags: Sequence[SeedTag]) -> None: ...

    async def add_statuses(self, statuses: Sequence[SeedStatus]) -> None:
        """Statuses (in order: a parent or original before what refers to it), counters as
        given, and their mention rows."""
        ...

    async def add_status_tags(self, links: Sequence[tuple[int, int]]) -> None:
        """(status_id, tag_id) pairs."""
        ...

    async def add_favourites(self, favourites: Sequence[SeedEdge]) -> None: ...

    async def add_feed_entries(self, entries: Sequence[FeedEntry]) -> None: ...

    async def add_notifications(self, notifications: Sequence[Notification]) -> None: ...


class SeedStore(Protocol):
    def write(self) -> AbstractAsyncContextManager[SeedWriter]:
        """One write transaction: commits when the block ends, rolls back on an error."""
        ...

    async def refresh_statistics(self) -> None:
        """After the bulk write: bring the query planner's statistics up to date."""
        ...
