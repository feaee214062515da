"""OAuth use cases: applications, authorization codes, tokens."""

from __future__ import annotations

from godwit.domain.oauth import Credentials
from godwit.domain.secrets import token_hash
from godwit.ports.store import Store


class OAuthService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def authenticate(self, token: str) -> Credentials | None:
        if not token or len(token) > 512:
            return None
        async with self.store.read() as tx:
            return await tx.oauth.credentials_for_token(token_hash(token))
