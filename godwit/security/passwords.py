"""Argon2id password hashing (argon2-cffi) on a bounded worker pool."""

from __future__ import annotations

from argon2 import Parameters
from argon2 import PasswordHasher as Argon2Hasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY

from godwit.security.pool import BoundedPool

# RFC 9106's second recommended option: argon2id, t=3, 64 MiB, p=4. Strong, and cheap
# enough in memory that a small server can run a few hashes at once.
PRODUCTION_PARAMETERS = RFC_9106_LOW_MEMORY


class Argon2PasswordHasher:
    def __init__(self, pool: BoundedPool, parameters: Parameters = PRODUCTION_PARAMETERS) -> None:
        self._pool = pool
        self._argon2 = Argon2Hasher.from_parameters(parameters)

    async def hash(self, password: str) -> str:
        return await self._pool.run(self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await self._pool.run(self._verify_sync, password_hash, password)

    def _verify_sync(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._argon2.check_needs_rehash(password_hash)
        except (InvalidHashError, ValueError):
            return True
