"""Repository port for the social graph: follows, follow requests, blocks and mutes.

Bulk questions take a sequence of account ids and answer in one query. Expired mutes count
as absent in every answer. List pages use the row id as their cursor (``GraphEdge``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.graph import (
    FollowerRef,
    FollowOptions,
    GraphEdge,
    GraphFacts,
    ViewerRelations,
)
from godwit.domain.pagination import PageRequest


class GraphRepository(Protocol):
    # Questions other slices ask (agreed interface).
    async def following_ids(self, viewer_id: int, among: Sequence[int]) -> set[int]: ...
    async def blocked_either_way(self, viewer_id: int, among: Sequence[int]) -> set[int]: ...
    async def muted(self, viewer_id: int, among: Sequence[int]) -> set[int]: ...
    async def viewer_relations(
        self, viewer_id: int, among: Sequence[int], remote: Sequence[int] = ()
    ) -> ViewerRelations:
        """The ids ``among`` the viewer follows, blocks either way and mutes, plus those of
        ``remote`` on a domain the viewer blocks (as blocked), in one statement: the read
        path's check."""
        ...

    async def viewers_relations(
        self, viewer_ids: Sequence[int], among: Sequence[int], remote: Sequence[int] = ()
    ) -> dict[int, ViewerRelations]:
        """``viewer_relations`` for many viewers in the same one statement; a viewer with
        none of these relations is absent."""
        ...

    async def muting_notifications(self, viewer_id: int, among: Sequence[int]) -> set[int]: ...
    async def is_following(self, account_id: int, target_id: int) -> bool: ...
    async def followed_ids(self, account_id: int) -> list[int]: ...
    async def follower_batch(
        self,
        account_id: int,
        after_follow_id: int | None,
        limit: int,
        *,
        notified_only: bool = False,
    ) -> list[FollowerRef]:
        """Local followers in follow order, after the follow id ``after_follow_id``; with
        ``notified_only``, only those who asked to be notified of the account's posts."""
        ...

    async def follower_count(self, account_id: int) -> int: ...

    # Everything between a viewer and some targets, for relationships (bounded queries).
    async def facts(self, viewer_id: int, among: Sequence[int]) -> GraphFacts: ...

    # Follows: ``add_*`` answer whether a row was created, ``remove_*`` whether one went.
    async def get_follow(self, account_id: int, target_id: int) -> FollowOptions | None: ...
    async def add_follow(self, account_id: int, target_id: int, options: FollowOptions) -> bool: ...
    async def update_follow(
        self, account_id: int, target_id: int, options: FollowOptions
    ) -> None: ...
    async def remove_follow(self, account_id: int, target_id: int) -> bool: ...

    # Follow requests (to locked accounts).
    async def get_follow_request(self, account_id: int, target_id: int) -> FollowOptions | None: ...
    async def add_follow_request(
        self, account_id: int, target_id: int, options: FollowOptions
    ) -> bool: ...
    async def update_follow_request(
        self, account_id: int, target_id: int, options: FollowOptions
    ) -> None: ...
    async def remove_follow_request(self, account_id: int, target_id: int) -> bool: ...

    # Blocks and mutes.
    async def add_block(self, account_id: int, target_id: int) -> bool: ...
    async def remove_block(self, account_id: int, target_id: int) -> bool: ...
    async def set_mute(
        self,
        account_id: int,
        target_id: int,
        *,
        hide_notifications: bool,
        expires_at: dt.datetime | None,
    ) -> None: ...
    async def remove_mute(self, account_id: int, target_id: int) -> bool: ...

    # Pages of lists, newest row first; the cursor is the row id.
    async def followers_page(self, account_id: int, page: PageRequest) -> list[GraphEdge]: ...
    async def following_page(self, account_id: int, page: PageRequest) -> list[GraphEdge]: ...
    async def follow_requests_page(self, account_id: int, page: PageRequest) -> list[GraphEdge]: ...
    async def blocks_page(self, account_id: int, page: PageRequest) -> list[GraphEdge]: ...
    async def mutes_page(self, account_id: int, page: PageRequest) -> list[GraphEdge]: ...
