"""Repository port for hashtags members follow, feature and make trend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.pagination import PageRequest
from godwit.domain.tags import FeaturedTag, Tag, TagUsage


class TagRepository(Protocol):
    async def find(self, name: str) -> Tag | None:
        """By name as written or its key."""
        ...

    async def find_or_create(self, name: str, now: dt.datetime) -> Tag: ...

    async def get_many(self, tag_ids: Sequence[int]) -> dict[int, Tag]: ...

    # -- following -----------------------------------------------------------------------

    async def follow(self, account_id: int, tag_id: int, now: dt.datetime) -> bool: ...

    async def unfollow(self, account_id: int, tag_id: int) -> bool: ...

    async def followed_page(self, account_id: int, page: PageRequest) -> list[tuple[int, Tag]]:
        """(row id, tag) newest first; the row id is the Link-header cursor."""
        ...

    async def followed_among(self, account_id: int, tag_ids: Sequence[int]) -> set[int]: ...

    async def local_followers_of_status_tags(
        self, status_id: int, after_account_id: int | None, limit: int
    ) -> list[int]:
        """Local accounts following any tag of the status, by account id, one page."""
        ...

    # -- featuring -----------------------------------------------------------------------

    async def featured(self, account_id: int) -> list[FeaturedTag]:
        """With each tag's count and last use among the account's public posts."""
        ...

    async def featured_among(self, account_id: int, tag_ids: Sequence[int]) -> set[int]: ...

    async def add_featured(
        self, featured_id: int, account_id: int, tag_id: int, now: dt.datetime
    ) -> bool: ...

    async def remove_featured(self, account_id: int, featured_id: int) -> bool: ...

    async def featured_count(self, account_id: int) -> int: ...

    async def most_used_by(self, account_id: int, limit: int) -> list[Tag]:
        """The tags the account used most, among its recent posts."""
        ...

    # -- trends --------------------------------------------------------------------------

    async def usage(
        self, tag_ids: Sequence[int] | None, days: Sequence[dt.datetime], limit: int
    ) -> list[TagUsage]:
        """Per-day uses and distinct accounts over the window starting at ``days[-1]``, in
        public posts of discoverable accounts; ``tag_ids`` None: the ``limit`` most used."""
        ...
