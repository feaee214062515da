"""Repository port for the audit log: entries are added and read, never changed.

There is deliberately no method to update or delete an entry; the database refuses both
as well (see godwit.domain.audit)."""

from __future__ import annotations

from typing import Protocol

from godwit.domain.audit import AuditEntry, AuditQuery
from godwit.domain.pagination import PageRequest


class AuditLogRepository(Protocol):
    async def append(self, entry: AuditEntry) -> None: ...

    async def page(self, query: AuditQuery, page: PageRequest) -> list[AuditEntry]:
        """Newest first, by id (Mastodon-style max_id/since_id/min_id window)."""
        ...
