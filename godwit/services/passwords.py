"""Passwords: checking a login's password and changing one's own.

The base class of ``AccountService`` (as ``StatusReactions`` is of ``StatusService``); it
uses the service's store, hasher and throttle.
"""

from __future__ import annotations

import datetime as dt
import secrets

from godwit.domain.accounts import User, password_problems
from godwit.domain.errors import Invalid, NotFound, RateLimited
from godwit.ports.security import PasswordHasher
from godwit.ports.store import Store
from godwit.services.login_throttle import LoginThrottle
from godwit.services.profiles import Problems


class AccountPasswords:
    store: Store
    hasher: PasswordHasher
    # Wrong current passwords on a password change, counted per member and per address.
    password_throttle: LoginThrottle
    _dummy_hash: str | None

    async def authenticate_password(self, login: str, password: str) -> User | None:
        """The user whose email or username is ``login`` and whose password matches.

        Approval is not checked here (the caller checks ``user.can_sign_in``). An unknown
        login still costs one argon2 verification, so timing does not reveal who exists.
        """
        if not login or not password or len(login) > 320 or len(password) > 1024:
            return None
        async with self.store.read() as tx:
            found = await tx.accounts.find_login(login)
        if found is None:
            await self.hasher.verify(await self._dummy(), password)
            return None
        user, password_hash = found
        if not await self.hasher.verify(password_hash, password):
            return None
        if self.hasher.needs_rehash(password_hash):
            upgraded = await self.hasher.hash(password)
            async with self.store.write() as tx:
                await tx.accounts.set_password_hash(user.id, upgraded)
        return user

    async def change_password(
        self, account_id: int, current: str, new: str, *, keep_token_id: int | None, ip: str
    ) -> int:
        """Set a new password after checking the current one, and end every other session:
        all the member's tokens (apps and browsers) are revoked but ``keep_token_id``, the
        session that asked. Answers how many were revoked."""
        member_key = f"member:{account_id}"  # not a login name: no sign-in shares the count
        wait = self.password_throttle.retry_after(ip, member_key)
        if wait is not None:
            raise RateLimited(wait, "Too many wrong passwords. Try again later.")
        async with self.store.read() as tx:
            account = await tx.accounts.get(account_id)
            found = await tx.accounts.find_login(account.username) if account else None
        if account is None or not account.local or found is None:
            raise NotFound()
        user, password_hash = found
        problems: Problems = {}
        if len(current) <= 1024 and current and await self.hasher.verify(password_hash, current):
            self.password_throttle.record_success(member_key)
        else:
            self.password_throttle.record_failure(ip, member_key)
            problems["current_password"] = [("ERR_INVALID", "is not correct")]
        if new_problems := password_problems(new):
            problems["password"] = new_problems
        if problems:
            raise _password_change_failed(problems)
        new_hash = await self.hasher.hash(new)
        async with self.store.write() as tx:
            again = await tx.accounts.find_login(account.username)
            if again is None or again[1] != password_hash:  # changed meanwhile elsewhere
                raise _password_change_failed(
                    {"current_password": [("ERR_STALE", "was changed meanwhile; try again")]}
                )
            await tx.accounts.set_password_hash(user.id, new_hash)
            return await tx.oauth.revoke_user_tokens(
                user.id, dt.datetime.now(dt.UTC), keep_token_id=keep_token_id
            )

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash


def _password_change_failed(problems: Problems) -> Invalid:
    labels = {"current_password": "Current password", "password": "New password"}
    parts = [
        f"{labels.get(field, field)} {description}"
        for field, entries in problems.items()
        for _code, description in entries
    ]
    return Invalid("Validation failed: " + ", ".join(parts), problems)
