"""Repository port for what moderators change about accounts, and the warnings they send."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.account_actions import AccountWarning, MemberState
from godwit.domain.pagination import PageRequest


class AccountModerationRepository(Protocol):
    async def states(self, account_ids: Sequence[int]) -> dict[int, MemberState]:
        """Each account's standing (with its login's, for local ones), in one query."""
        ...

    async def set_suspended(self, account_id: int, at: dt.datetime | None) -> None: ...

    async def set_silenced(self, account_id: int, at: dt.datetime | None) -> None: ...

    async def set_sensitized(self, account_id: int, at: dt.datetime | None) -> None: ...

    async def set_disabled(self, user_id: int, disabled: bool) -> None: ...

    async def approve(self, user_id: int) -> bool:
        """Approve a pending login; False if it was not pending."""
        ...

    async def delete_pending(self, account_id: int) -> bool:
        """Delete for real a local account whose login was never approved, and everything
        that cascades from it; False if the account is not a pending one."""
        ...

    async def revoke_tokens(self, user_id: int, at: dt.datetime) -> int:
        """Revoke every live token of the login (and their push subscriptions); how many."""
        ...

    async def mark_status_sensitive(self, status_id: int) -> bool:
        """Set ``sensitive`` on a status; False if it was already sensitive or is gone."""
        ...

    async def add_warning(self, warning: AccountWarning) -> None: ...

    async def warnings(self, warning_ids: Sequence[int]) -> dict[int, AccountWarning]:
        """One query, whatever the number of ids."""
        ...

    async def warnings_for(self, account_id: int, limit: int) -> list[AccountWarning]:
        """An account's warnings, newest first."""
        ...

    async def add_warning_notification(
        self, recipient_id: int, warning_id: int, at: dt.datetime
    ) -> int | None:
        """A ``moderation_warning`` notification for a local recipient (its own sender, as
        in Mastodon); the new id, or None for a remote account."""
        ...

    async def pending(self, page: PageRequest) -> list[MemberState]:
        """Local sign-ups waiting for approval, newest first (paged by account id)."""
        ...

    async def local_accounts(
        self, page: PageRequest, *, query: str = "", status: str | None = None
    ) -> list[int]:
        """Local account ids for moderators, newest first: by username, display name or
        email prefix; ``status`` one of active, pending, disabled, silenced, suspended,
        sensitized, staff."""
        ...
