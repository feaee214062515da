"""Repository ports for scheduled statuses and direct-message conversations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from godwit.domain.pagination import PageRequest
from godwit.domain.scheduling import Conversation, ScheduledStatus


class ScheduledStatusRepository(Protocol):
    async def create(
        self,
        account_id: int,
        scheduled_at: dt.datetime,
        params: dict[str, Any],
        application_id: int | None,
        now: dt.datetime,
    ) -> ScheduledStatus: ...

    async def get(self, scheduled_id: int) -> ScheduledStatus | None: ...

    async def page(self, account_id: int, page: PageRequest) -> list[ScheduledStatus]: ...

    async def count(self, account_id: int, *, on_day: dt.date | None = None) -> int:
        """Pending scheduled statuses of the account (only those due that day, if given)."""
        ...

    async def reschedule(self, scheduled_id: int, scheduled_at: dt.datetime) -> None: ...

    async def delete(self, scheduled_id: int) -> bool: ...


class ConversationRepository(Protocol):
    async def record(
        self,
        account_id: int,
        conversation_key: int,
        participant_ids: Sequence[int],
        status_id: int,
        *,
        unread: bool,
    ) -> int:
        """Create or advance the account's conversation (participants merged; the last
        status only moves forward). Returns the conversation's id."""
        ...

    async def get(self, conversation_id: int, account_id: int) -> Conversation | None: ...

    async def page(self, account_id: int, page: PageRequest) -> list[Conversation]:
        """Newest last status first; the cursors are last status ids."""
        ...

    async def mark_read(self, conversation_id: int, account_id: int) -> None: ...

    async def delete(self, conversation_id: int, account_id: int) -> bool: ...

    async def thread_key(self, status_id: int) -> int | None:
        """The conversation key of a status (its thread root's id), None if it is gone."""
        ...
