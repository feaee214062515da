"""SQL repository for OAuth applications, authorization codes and tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.oauth import (
    LOGIN_DISABLED,
    PENDING_APPROVAL,
    AuthorisedApp,
    AuthorizationCode,
    Credentials,
    OAuthApp,
    StoredToken,
    scope_string,
)
from godwit.storage.schema import (
    accounts,
    oauth_apps,
    oauth_codes,
    oauth_tokens,
    push_subscriptions,
    users,
)

# Built once: every authenticated request runs it, and building it cost more than running it.
_CREDENTIALS = (
    select(
        oauth_tokens.c.id,
        oauth_tokens.c.app_id,
        oauth_tokens.c.scopes,
        oauth_tokens.c.user_id,
        users.c.account_id,
        users.c.role,
        users.c.approved,
        users.c.disabled,
        accounts.c.suspended_at,
    )
    .select_from(
        oauth_tokens.outerjoin(users, users.c.id == oauth_tokens.c.user_id).outerjoin(
            accounts, accounts.c.id == users.c.account_id
        )
    )
    .where(
        oauth_tokens.c.token_hash == bindparam("token_hash"), oauth_tokens.c.revoked_at.is_(None)
    )
)


class SqlOAuth:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def credentials_for_token(self, token_hash: str) -> Credentials | None:
        row = (await self.conn.execute(_CREDENTIALS, {"token_hash": token_hash})).first()
        if row is None:
            return None
        # A suspended member's tokens stop working at once (OWASP API2), as in Mastodon;
        # suspension also revokes them, so unsuspending does not bring them back.
        if row.user_id is not None and row.suspended_at is not None:
            return None
        refusal = None
        if row.user_id is not None and not row.approved:
            refusal = PENDING_APPROVAL
        elif row.user_id is not None and row.disabled:
            refusal = LOGIN_DISABLED
        return Credentials(
            token_id=row.id,
            app_id=row.app_id,
            scopes=frozenset(row.scopes.split()),
            user_id=row.user_id,
            account_id=row.account_id,
            role=row.role or "member",
            refusal=refusal,
        )

    async def create_app(self, app: OAuthApp, *, created_at: dt.datetime) -> None:
        await self.conn.execute(
            insert(oauth_apps).values(
                id=app.id,
                name=app.name,
                website=app.website,
                redirect_uris="\n".join(app.redirect_uris),
                scopes=scope_string(app.scopes),
                client_id=app.client_id,
                client_secret_hash=app.secret_hash,
                created_at=created_at,
            )
        )

    async def get_app(self, app_id: int) -> OAuthApp | None:
        row = (await self.conn.execute(select(oauth_apps).where(oauth_apps.c.id == app_id))).first()
        return _app(row) if row is not None else None

    async def find_app_by_client_id(self, client_id: str) -> OAuthApp | None:
        query = select(oauth_apps).where(oauth_apps.c.client_id == client_id)
        row = (await self.conn.execute(query)).first()
        return _app(row) if row is not None else None

    async def create_code(self, code: AuthorizationCode) -> None:
        await self.conn.execute(
            insert(oauth_codes).values(
                id=code.id,
                code_hash=code.code_hash,
                app_id=code.app_id,
                user_id=code.user_id,
                scopes=scope_string(code.scopes),
                redirect_uri=code.redirect_uri,
                code_challenge=code.code_challenge,
                code_challenge_method=code.code_challenge_method,
                expires_at=code.expires_at,
                created_at=code.created_at,
                used_at=code.used_at,
            )
        )

    async def find_code(self, code_hash: str) -> AuthorizationCode | None:
        query = select(oauth_codes).where(oauth_codes.c.code_hash == code_hash)
        row = (await self.conn.execute(query)).first()
        if row is None:
            return None
        return AuthorizationCode(
            id=row.id,
            code_hash=row.code_hash,
            app_id=row.app_id,
            user_id=row.user_id,
            scopes=frozenset(row.scopes.split()),
            redirect_uri=row.redirect_uri,
            code_challenge=row.code_challenge,
            code_challenge_method=row.code_challenge_method,
            expires_at=row.expires_at,
            created_at=row.created_at,
            used_at=row.used_at,
        )

    async def mark_code_used(self, code_id: int, used_at: dt.datetime) -> bool:
        # The IS NULL guard makes this the single point where exactly one exchange wins.
        result = await self.conn.execute(
            update(oauth_codes)
            .where(oauth_codes.c.id == code_id, oauth_codes.c.used_at.is_(None))
            .values(used_at=used_at)
        )
        return bool(result.rowcount == 1)

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
    ) -> None:
        await self.conn.execute(
            insert(oauth_tokens).values(
                id=token_id,
                token_hash=token_hash,
                app_id=app_id,
                user_id=user_id,
                scopes=scopes,
                created_at=created_at,
                code_id=code_id,
            )
        )

    async def find_token(self, token_hash: str) -> StoredToken | None:
        query = select(oauth_tokens.c.id, oauth_tokens.c.app_id, oauth_tokens.c.revoked_at).where(
            oauth_tokens.c.token_hash == token_hash
        )
        row = (await self.conn.execute(query)).first()
        if row is None:
            return None
        return StoredToken(id=row.id, app_id=row.app_id, revoked=row.revoked_at is not None)

    async def revoke_token(self, token_id: int, revoked_at: dt.datetime) -> None:
        await self.conn.execute(
            update(oauth_tokens)
            .where(oauth_tokens.c.id == token_id, oauth_tokens.c.revoked_at.is_(None))
            .values(revoked_at=revoked_at)
        )
        # A revoked token's push subscription goes with it (as in Mastodon).
        await self.conn.execute(
            delete(push_subscriptions).where(push_subscriptions.c.token_id == token_id)
        )

    async def revoke_tokens_from_code(self, code_id: int, revoked_at: dt.datetime) -> int:
        result = await self.conn.execute(
            update(oauth_tokens)
            .where(oauth_tokens.c.code_id == code_id, oauth_tokens.c.revoked_at.is_(None))
            .values(revoked_at=revoked_at)
        )
        await self.conn.execute(
            delete(push_subscriptions).where(
                push_subscriptions.c.token_id.in_(
                    select(oauth_tokens.c.id).where(oauth_tokens.c.code_id == code_id)
                )
            )
        )
        return int(result.rowcount)

    async def authorised_apps(self, user_id: int) -> list[AuthorisedApp]:
        # One row per app and scope set (a handful), folded per app below: a member may
        # hold many tokens of one app (one per signed-in browser), never many apps' worth.
        query = (
            select(
                oauth_apps.c.id,
                oauth_apps.c.name,
                oauth_apps.c.website,
                oauth_tokens.c.scopes,
                func.count().label("tokens"),
                func.min(oauth_tokens.c.created_at).label("first"),
                func.max(oauth_tokens.c.created_at).label("last"),
            )
            .select_from(oauth_tokens.join(oauth_apps, oauth_apps.c.id == oauth_tokens.c.app_id))
            .where(oauth_tokens.c.user_id == user_id, oauth_tokens.c.revoked_at.is_(None))
            .group_by(
                oauth_apps.c.id, oauth_apps.c.name, oauth_apps.c.website, oauth_tokens.c.scopes
            )
        )
        folded: dict[int, AuthorisedApp] = {}
        for row in (await self.conn.execute(query)).all():
            seen = folded.get(row.id)
            scopes = frozenset(row.scopes.split())
            if seen is None:
                folded[row.id] = AuthorisedApp(
                    app_id=row.id,
                    name=row.name,
                    website=row.website,
                    scopes=scopes,
                    first_authorised_at=row.first,
                    last_authorised_at=row.last,
                    tokens=int(row.tokens),
                )
                continue
            folded[row.id] = AuthorisedApp(
                app_id=row.id,
                name=row.name,
                website=row.website,
                scopes=seen.scopes | scopes,
                first_authorised_at=min(seen.first_authorised_at, row.first),
                last_authorised_at=max(seen.last_authorised_at, row.last),
                tokens=seen.tokens + int(row.tokens),
            )
        return sorted(
            folded.values(), key=lambda app: (app.last_authorised_at, app.app_id), reverse=True
        )

    async def revoke_user_tokens(
        self,
        user_id: int,
        revoked_at: dt.datetime,
        *,
        app_id: int | None = None,
        keep_token_id: int | None = None,
    ) -> int:
        conditions = [oauth_tokens.c.user_id == user_id, oauth_tokens.c.revoked_at.is_(None)]
        if app_id is not None:
            conditions.append(oauth_tokens.c.app_id == app_id)
        if keep_token_id is not None:
            conditions.append(oauth_tokens.c.id != keep_token_id)
        # Their push subscriptions go with them (as revoke_token does), before the rows
        # stop matching the live-token condition.
        await self.conn.execute(
            delete(push_subscriptions).where(
                push_subscriptions.c.token_id.in_(select(oauth_tokens.c.id).where(*conditions))
            )
        )
        result = await self.conn.execute(
            update(oauth_tokens).where(*conditions).values(revoked_at=revoked_at)
        )
        return int(result.rowcount)


def _app(row: Any) -> OAuthApp:
    return OAuthApp(
        id=row.id,
        name=row.name,
        website=row.website,
        redirect_uris=tuple(row.redirect_uris.split()),
        scopes=frozenset(row.scopes.split()),
        client_id=row.client_id,
        secret_hash=row.client_secret_hash,
    )
