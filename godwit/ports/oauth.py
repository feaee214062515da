"""Repository port for OAuth applications, authorization codes and tokens."""

from __future__ import annotations

from typing import Protocol

from godwit.domain.oauth import Credentials


class OAuthRepository(Protocol):
    async def credentials_for_token(self, token_hash: str) -> Credentials | None:
        """The live (not revoked) token with this hash, with its user's account and role."""
        ...
