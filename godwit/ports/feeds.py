"""Repository port for home feeds and the timeline reads around them.

The home feed is a per-reader list of status ids written by fan-out. The other reads here
(a big account's recent posts, the public and tag timelines) return ids only; statuses are
then hydrated and visibility-checked in bulk by ``services.presenting``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from godwit.domain.pagination import PageRequest
from godwit.domain.timelines import FeedEntry, FeedItem, FeedPost


class FeedRepository(Protocol):
    async def add(
        self, reader_ids: Sequence[int], status_id: int, entry_key: int, author_id: int
    ) -> None:
        """Duplicates are ignored, on (reader, status) and on (reader, entry_key)."""
        ...

    async def add_entries(self, entries: Sequence[FeedEntry]) -> None:
        """Many entries in one statement; duplicates ignored as in ``add``."""
        ...

    async def remove_author(self, reader_id: int, author_id: int) -> None: ...

    async def page(self, reader_id: int, page: PageRequest) -> list[int]:
        """Status ids of one page of the reader's feed, newest first."""
        ...

    async def page_items(self, reader_id: int, page: PageRequest) -> list[FeedItem]: ...

    async def trim(self, reader_id: int, keep: int) -> None:
        """Keep only the newest ``keep`` entries."""
        ...

    async def trim_many(self, reader_ids: Sequence[int], keep: int) -> None: ...

    # What fan-out asks about a batch of readers, one query each.
    async def local_mentions(self, status_id: int) -> list[int]:
        """Local accounts mentioned by the status."""
        ...

    async def shunned_by(
        self, reader_ids: Sequence[int], account_ids: Sequence[int]
    ) -> dict[int, set[int]]:
        """For each reader, which of ``account_ids`` they block, are blocked by or mute
        (active mutes). Readers with none are absent."""
        ...

    async def followed_by(
        self, reader_ids: Sequence[int], account_ids: Sequence[int]
    ) -> dict[int, set[int]]:
        """For each reader, which of ``account_ids`` they follow."""
        ...

    # Read-time merge and backfill.
    async def big_followed(self, reader_id: int, threshold: int) -> dict[int, bool]:
        """Accounts the reader follows that have more than ``threshold`` followers, with
        the reader's show_reblogs choice for each."""
        ...

    async def home_sources(
        self, reader_id: int, threshold: int
    ) -> tuple[dict[int, bool], set[int]]:
        """``big_followed(reader_id, threshold)`` and the members of the reader's exclusive
        lists (kept out of the reader's home), in one statement."""
        ...

    async def posts_by(
        self, author_ids: Sequence[int], page: PageRequest, *, include_reblogs: bool = True
    ) -> list[FeedPost]:
        """Non-direct statuses by these authors in the page window, newest first."""
        ...

    async def show_reblogs(self, reader_id: int, author_id: int) -> bool | None:
        """The reader's show_reblogs choice for the author; None when not following."""
        ...

    async def show_reblogs_of(self, reader_ids: Sequence[int], author_id: int) -> dict[int, bool]:
        """``show_reblogs`` for many readers in one query; readers not following are absent."""
        ...

    async def holding(self, reader_ids: Sequence[int], status_id: int) -> set[int]:
        """The readers among these whose feed holds the status (one query)."""
        ...

    # Public timelines.
    async def public_ids(
        self,
        page: PageRequest,
        scope: str,
        *,
        only_media: bool = False,
        viewer_id: int | None = None,
    ) -> list[int]:
        """Public, non-reblog statuses (no replies to others), newest first. Limited
        (silenced) accounts' posts only for the viewer who follows them (or is them)."""
        ...

    async def tag_ids(
        self,
        page: PageRequest,
        scope: str,
        *,
        any_tags: Sequence[str],
        all_tags: Sequence[str] = (),
        none_tags: Sequence[str] = (),
        only_media: bool = False,
        viewer_id: int | None = None,
    ) -> list[int]:
        """Public statuses carrying any of ``any_tags`` and all of ``all_tags`` and none
        of ``none_tags`` (names casefolded), newest first; limited accounts as above."""
        ...
