"""Per-member domain blocks: hide everything from one remote server."""

from __future__ import annotations

from godwit.config import Settings
from godwit.domain.domain_blocks import check_not_own, normalise_domain
from godwit.domain.pagination import PageRequest
from godwit.ports.store import Store


class DomainBlockService:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    async def block(self, viewer_id: int, raw_domain: str) -> str:
        domain = normalise_domain(raw_domain)
        check_not_own(domain, self.settings.domain)
        async with self.store.write() as tx:
            await tx.domain_blocks.add(viewer_id, domain)  # blocking twice is harmless
        return domain

    async def unblock(self, viewer_id: int, raw_domain: str) -> None:
        domain = normalise_domain(raw_domain)
        async with self.store.write() as tx:
            await tx.domain_blocks.remove(viewer_id, domain)

    async def listing(self, viewer_id: int, page: PageRequest) -> list[tuple[int, str]]:
        async with self.store.read() as tx:
            return await tx.domain_blocks.page(viewer_id, page)
