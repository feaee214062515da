"""Repository port for lists, their members and the posts a list timeline reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from godwit.domain.lists import AccountList, ListPost, RepliesPolicy
from godwit.domain.pagination import PageRequest


class ListRepository(Protocol):
    async def create(
        self, owner_id: int, title: str, replies_policy: RepliesPolicy, exclusive: bool
    ) -> AccountList: ...

    async def get(self, list_id: int) -> AccountList | None: ...

    async def owned(self, owner_id: int) -> list[AccountList]:
        """The owner's lists, oldest first."""
        ...

    async def count_owned(self, owner_id: int) -> int: ...

    async def update(
        self, list_id: int, *, title: str, replies_policy: RepliesPolicy, exclusive: bool
    ) -> None: ...

    async def delete(self, list_id: int) -> None:
        """Deletes the list and its memberships."""
        ...

    async def follow_ids(self, owner_id: int, account_ids: Sequence[int]) -> dict[int, int]:
        """{followed account id: follow row id} for those of ``account_ids`` the owner follows."""
        ...

    async def add_members(self, list_id: int, follows_by_account: dict[int, int]) -> None:
        """Add {account id: follow id}; accounts already in the list are left as they are."""
        ...

    async def remove_members(self, list_id: int, account_ids: Sequence[int]) -> None: ...

    async def members_page(self, list_id: int, page: PageRequest | None) -> list[tuple[int, int]]:
        """(membership id, account id) newest first; ``None`` = every member."""
        ...

    async def members_among(self, list_id: int, account_ids: Sequence[int]) -> set[int]: ...

    async def containing(self, owner_id: int, account_id: int) -> list[AccountList]:
        """The owner's lists that have ``account_id`` as a member, oldest first."""
        ...

    async def exclusive_listers(self, owner_ids: Sequence[int], account_id: int) -> set[int]:
        """The owners among these with an exclusive list that has the account as a member
        (exclusive lists keep their members' posts out of their owner's home)."""
        ...

    async def posts(self, list_id: int, page: PageRequest) -> list[ListPost]:
        """Non-direct statuses and reblogs by the list's members in the page window,
        newest first, with the owner's show_reblogs for each author."""
        ...
