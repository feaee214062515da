"""Repository port for editing statuses and the revisions kept of them."""

from __future__ import annotations

from typing import Protocol

from godwit.domain.editing import StatusChange, StatusRevision


class StatusEditRepository(Protocol):
    async def apply(self, change: StatusChange) -> None:
        """Update the status, its mentions and tags, set edited_at, and record revisions:
        the original first if this is the first edit, then the new version."""
        ...

    async def history(self, status_id: int) -> list[StatusRevision]:
        """The recorded revisions, oldest first (empty if never edited)."""
        ...
