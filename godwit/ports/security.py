"""Ports for the slow, CPU-bound security primitives: password hashing and key generation.

Both run off the event loop, on bounded worker pools, so one sign-up or login never
stalls other requests.
"""

from __future__ import annotations

from typing import Protocol

from godwit.domain.accounts import KeyPair


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str:
        """A self-describing hash (algorithm, parameters and salt included)."""
        ...

    async def verify(self, password_hash: str, password: str) -> bool:
        """Whether ``password`` matches; False (never an error) for a malformed hash."""
        ...

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether the hash was made with weaker parameters than today's."""
        ...


class KeyPairGenerator(Protocol):
    async def generate(self) -> KeyPair:
        """A fresh RSA key pair for signing federated activities."""
        ...
