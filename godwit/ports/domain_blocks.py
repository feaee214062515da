"""Repository port for the domains each member blocks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from godwit.domain.pagination import PageRequest


class DomainBlockRepository(Protocol):
    async def add(self, account_id: int, domain: str) -> bool:
        """False when the member already blocks the domain."""
        ...

    async def remove(self, account_id: int, domain: str) -> bool: ...

    async def page(self, account_id: int, page: PageRequest) -> list[tuple[int, str]]:
        """(row id, domain) newest first; the row id is the Link-header cursor."""
        ...

    async def blocked_among(self, account_id: int, domains: Sequence[str]) -> set[str]:
        """Which of ``domains`` the member blocks, in one query."""
        ...

    async def blocked_accounts_among(self, account_id: int, among: Sequence[int]) -> set[int]:
        """Which of the accounts ``among`` live on a domain the member blocks (one query)."""
        ...

    async def readers_blocking_domain_of(
        self, reader_ids: Sequence[int], author_id: int
    ) -> set[int]:
        """Which readers block the domain the author lives on (one query; none for a
        local author)."""
        ...
