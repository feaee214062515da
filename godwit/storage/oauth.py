"""SQL repository for OAuth applications, authorization codes and tokens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.oauth import Credentials
from godwit.storage.schema import oauth_tokens, users


class SqlOAuth:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def credentials_for_token(self, token_hash: str) -> Credentials | None:
        query = (
            select(
                oauth_tokens.c.id,
                oauth_tokens.c.app_id,
                oauth_tokens.c.scopes,
                oauth_tokens.c.user_id,
                users.c.account_id,
                users.c.role,
                users.c.approved,
                users.c.disabled,
            )
            .select_from(oauth_tokens.outerjoin(users, users.c.id == oauth_tokens.c.user_id))
            .where(oauth_tokens.c.token_hash == token_hash, oauth_tokens.c.revoked_at.is_(None))
        )
        row = (await self.conn.execute(query)).first()
        if row is None:
            return None
        if row.user_id is not None and (not row.approved or row.disabled):
            return None
        return Credentials(
            token_id=row.id,
            app_id=row.app_id,
            scopes=frozenset(row.scopes.split()),
            user_id=row.user_id,
            account_id=row.account_id,
            role=row.role or "member",
        )
