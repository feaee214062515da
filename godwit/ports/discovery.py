"""Repository port for finding people and posts: endorsements, suggestions, directory,
trending posts and announcements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.discovery import Announcement
from godwit.domain.graph import GraphEdge
from godwit.domain.pagination import PageRequest


class DiscoveryRepository(Protocol):
    # -- endorsements --------------------------------------------------------------------

    async def endorse(self, account_id: int, target_id: int, now: dt.datetime) -> bool: ...

    async def unendorse(self, account_id: int, target_id: int) -> bool: ...

    async def endorsed_page(self, account_id: int, page: PageRequest) -> list[GraphEdge]: ...

    async def endorsed_among(self, account_id: int, among: Sequence[int]) -> set[int]: ...

    async def familiar_followers(
        self, viewer_id: int, target_ids: Sequence[int], per_target: int
    ) -> dict[int, list[int]]:
        """For each target, up to ``per_target`` of its followers (newest follows first)
        whom the viewer follows, the viewer excluded; one query."""
        ...

    # -- suggestions and directory -------------------------------------------------------

    async def dismiss_suggestion(
        self, account_id: int, target_id: int, now: dt.datetime
    ) -> None: ...

    async def popular_local(self, viewer_id: int, limit: int) -> list[int]:
        """Discoverable local accounts by followers, without the viewer, whom the viewer
        follows, blocks (either way), mutes or dismissed."""
        ...

    async def friends_of_friends(self, viewer_id: int, limit: int) -> list[int]:
        """Accounts followed by those the viewer follows, by how many of them, filtered as
        ``popular_local``."""
        ...

    async def directory(
        self, *, offset: int, limit: int, order: str, local_only: bool
    ) -> list[int]: ...

    # -- trending posts and announcements ------------------------------------------------

    async def trending_status_ids(self, since_id: int, offset: int, limit: int) -> list[int]:
        """Public original posts of discoverable accounts newer than ``since_id``, by
        favourites + reblogs, only those with at least one."""
        ...

    async def announcements(self, viewer_id: int, now: dt.datetime) -> list[Announcement]:
        """Published announcements still running, with whether the viewer dismissed them."""
        ...

    async def dismiss_announcement(
        self, viewer_id: int, announcement_id: int, now: dt.datetime
    ) -> bool:
        """False when there is no such published announcement."""
        ...
