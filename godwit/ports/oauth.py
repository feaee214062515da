"""Repository port for OAuth applications, authorization codes and tokens.

Secrets never cross this port in the clear: client secrets, codes and tokens are passed
and looked up as SHA-256 hashes (godwit.domain.secrets.token_hash).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from godwit.domain.oauth import (
    AuthorisedApp,
    AuthorizationCode,
    Credentials,
    OAuthApp,
    StoredToken,
)


class OAuthRepository(Protocol):
    async def credentials_for_token(self, token_hash: str) -> Credentials | None:
        """The live (not revoked) token with this hash, with its user's account and role."""
        ...

    async def create_app(self, app: OAuthApp, *, created_at: dt.datetime) -> None:
        """Store a registered app; ``app.secret_hash`` holds the hashed client secret."""
        ...

    async def get_app(self, app_id: int) -> OAuthApp | None: ...

    async def find_app_by_client_id(self, client_id: str) -> OAuthApp | None: ...

    async def create_code(self, code: AuthorizationCode) -> None: ...

    async def find_code(self, code_hash: str) -> AuthorizationCode | None:
        """The code with this hash, used or not (so a replay can be recognised)."""
        ...

    async def mark_code_used(self, code_id: int, used_at: dt.datetime) -> bool:
        """Mark the code used; False if it already was (a concurrent exchange won)."""
        ...

    async def create_token(
        self,
        *,
        token_id: int,
        token_hash: str,
        app_id: int,
        user_id: int | None,
        scopes: str,
        created_at: dt.datetime,
        code_id: int | None = None,
    ) -> None: ...

    async def find_token(self, token_hash: str) -> StoredToken | None: ...

    async def revoke_token(self, token_id: int, revoked_at: dt.datetime) -> None: ...

    async def revoke_tokens_from_code(self, code_id: int, revoked_at: dt.datetime) -> int:
        """Revoke every live token issued from this code; how many were revoked."""
        ...

    async def authorised_apps(self, user_id: int) -> list[AuthorisedApp]:
        """The apps holding live tokens of this member, most recently authorised first."""
        ...

    async def revoke_user_tokens(
        self,
        user_id: int,
        revoked_at: dt.datetime,
        *,
        app_id: int | None = None,
        keep_token_id: int | None = None,
    ) -> int:
        """Revoke the member's live tokens (only ``app_id``'s when given; all but
        ``keep_token_id`` when given) with their push subscriptions; how many."""
        ...
