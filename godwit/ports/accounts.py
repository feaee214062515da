"""Repository port for accounts and the users (logins) behind local accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.accounts import (
    Account,
    KeyPair,
    NewLocalAccount,
    ProfileChanges,
    Role,
    User,
)


class AccountRepository(Protocol):
    async def get(self, account_id: int) -> Account | None: ...

    async def get_many(self, ids: Sequence[int]) -> dict[int, Account]:
        """One query, whatever the number of ids; missing ids are simply absent."""
        ...

    async def find_local(self, username: str) -> Account | None:
        """Case-insensitive."""
        ...

    async def find_local_many(self, usernames: Sequence[str]) -> dict[str, Account]:
        """Keyed by username casefolded."""
        ...

    async def find_by_acct(self, acct: str) -> Account | None:
        """``user`` (local), ``user@domain`` (remote, or local when ``domain`` is ours)."""
        ...

    async def adjust_counts(
        self,
        account_id: int,
        *,
        statuses: int = 0,
        followers: int = 0,
        following: int = 0,
        last_status_at: dt.datetime | None = None,
    ) -> None:
        """Add the deltas (never below zero) and, when given, set last_status_at."""
        ...

    async def get_user_by_account(self, account_id: int) -> User | None: ...

    async def get_user(self, user_id: int) -> User | None: ...

    async def find_user_by_email(self, email: str) -> User | None:
        """``email`` normalised (lower-case)."""
        ...

    async def find_login(self, login: str) -> tuple[User, str] | None:
        """The user whose email or local username is ``login``, with its password hash."""
        ...

    async def username_taken(self, username: str) -> bool:
        """Whether a local account already has this name, case-insensitively."""
        ...

    async def email_taken(self, email: str) -> bool: ...

    async def create_local(self, new: NewLocalAccount) -> tuple[Account, User]:
        """Insert the account and its user. Raises ``Invalid`` (ERR_TAKEN) if a concurrent
        sign-up took the username or email first; the caller's transaction then rolls back."""
        ...

    async def key_pair(self, account_id: int) -> KeyPair | None:
        """A local account's key pair; an empty one while it is still to be made (accounts
        created with lazy keys); None for an unknown or remote account."""
        ...

    async def set_key_pair_if_missing(self, account_id: int, keys: KeyPair) -> bool:
        """Store ``keys`` unless the account has a key pair already; whether they were."""
        ...

    async def update_profile(
        self, account_id: int, changes: ProfileChanges, now: dt.datetime
    ) -> None: ...

    async def update_preferences(self, user_id: int, preferences: dict[str, object]) -> None:
        """Replace the user's preferences with ``preferences``."""
        ...

    async def set_password_hash(self, user_id: int, password_hash: str) -> None: ...

    async def set_role(self, user_id: int, role: Role) -> None: ...

    async def record_sign_in(self, user_id: int, at: dt.datetime) -> None: ...

    async def search_local(self, query: str, limit: int) -> list[Account]:
        """Local accounts whose username or display name (or a word of it) starts with
        ``query`` (case-insensitive): discoverable ones, plus an exact username match
        whatever its setting. Exact match first, then by followers. At most ``limit``."""
        ...

    async def list_users(
        self, limit: int = 1000, after_id: int | None = None
    ) -> list[tuple[User, Account]]:
        """Local users with their accounts, oldest first; a page of ``limit`` after the user
        id ``after_id``."""
        ...

    async def pending_follow_requests(self, account_id: int) -> int:
        """How many follow requests wait for this account's answer."""
        ...
