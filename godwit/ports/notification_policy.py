"""Repository port for notification policies, requests (filtered senders) and permissions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.notification_policy import (
    NotificationPolicy,
    NotificationRequest,
    PolicySummary,
    Screening,
)
from godwit.domain.pagination import PageRequest


class NotificationPolicyRepository(Protocol):
    async def get(self, account_id: int) -> NotificationPolicy:
        """The member's policy; the defaults when they never changed it."""
        ...

    async def save(self, account_id: int, policy: NotificationPolicy, now: dt.datetime) -> None: ...

    async def summary(self, account_id: int) -> PolicySummary:
        """Pending requests (capped at MAX_PENDING_REQUESTS) and their filtered notifications."""
        ...

    async def screening(
        self, recipient_id: int, sender_id: int, status_id: int | None
    ) -> Screening | None:
        """Everything ``decide`` needs, in one query; None when the sender does not exist."""
        ...

    async def record_request(
        self, recipient_id: int, sender_id: int, status_id: int | None, now: dt.datetime
    ) -> None:
        """Create or refresh the request for a newly filtered notification (one statement)."""
        ...

    async def requests_page(
        self, recipient_id: int, page: PageRequest
    ) -> list[NotificationRequest]:
        """Newest first, with their counts; only senders the recipient may see and who still
        have filtered notifications."""
        ...

    async def requests_by_ids(
        self, recipient_id: int, request_ids: Sequence[int]
    ) -> list[NotificationRequest]:
        """The recipient's requests among ``request_ids`` (others' ids are left out)."""
        ...

    async def accept(self, recipient_id: int, sender_ids: Sequence[int], now: dt.datetime) -> None:
        """Let the senders through from now on, show their filtered notifications, and close
        their requests."""
        ...

    async def dismiss(self, recipient_id: int, sender_ids: Sequence[int]) -> None:
        """Delete the senders' filtered notifications and close their requests."""
        ...
