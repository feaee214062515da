"""The OAuth repository on SQLite and PostgreSQL: apps, single-use codes, tokens."""

from __future__ import annotations

import datetime as dt

from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.domain.oauth import AuthorizationCode, OAuthApp
from godwit.domain.secrets import token_hash
from tests.factories import make_member


def _app() -> OAuthApp:
    return OAuthApp(
        id=new_id(),
        name="App",
        website=None,
        redirect_uris=("https://a.example/cb", "app://cb"),
        scopes=frozenset({"read", "write"}),
        client_id=f"client-{new_id()}",
        secret_hash=token_hash("secret"),
    )


async def test_apps_round_trip(components: Components) -> None:
    app = _app()
    now = dt.datetime.now(dt.UTC)
    async with components.store.write() as tx:
        await tx.oauth.create_app(app, created_at=now)
    async with components.store.read() as tx:
        assert await tx.oauth.find_app_by_client_id(app.client_id) == app
        assert await tx.oauth.get_app(app.id) == app
        assert await tx.oauth.find_app_by_client_id("nope") is None


async def test_codes_are_single_use_and_tokens_revocable(components: Components) -> None:
    member = await make_member(components, "alice")
    app = _app()
    now = dt.datetime.now(dt.UTC)
    code = AuthorizationCode(
        id=new_id(),
        code_hash=token_hash("the-code"),
        app_id=app.id,
        user_id=member.user_id,
        scopes=frozenset({"read"}),
        redirect_uri="app://cb",
        code_challenge="c" * 43,
        code_challenge_method="S256",
        expires_at=now + dt.timedelta(minutes=10),
        created_at=now,
    )
    async with components.store.write() as tx:
        await tx.oauth.create_app(app, created_at=now)
        await tx.oauth.create_code(code)
    async with components.store.write() as tx:
        found = await tx.oauth.find_code(token_hash("the-code"))
        assert found is not None
        assert found.used_at is None
        assert abs(found.expires_at - code.expires_at) < dt.timedelta(seconds=1)
        assert found.code_challenge == code.code_challenge
        assert found.scopes == code.scopes
        assert await tx.oauth.mark_code_used(code.id, now)
        assert not await tx.oauth.mark_code_used(code.id, now)  # second use loses
        token_id = new_id()
        await tx.oauth.create_token(
            token_id=token_id,
            token_hash=token_hash("tok"),
            app_id=app.id,
            user_id=member.user_id,
            scopes="read",
            created_at=now,
            code_id=code.id,
        )
    async with components.store.write() as tx:
        stored = await tx.oauth.find_token(token_hash("tok"))
        assert stored is not None
        assert stored.app_id == app.id
        assert not stored.revoked
        assert await tx.oauth.credentials_for_token(token_hash("tok")) is not None
        assert await tx.oauth.revoke_tokens_from_code(code.id, now) == 1
    async with components.store.read() as tx:
        assert await tx.oauth.credentials_for_token(token_hash("tok")) is None
        stored = await tx.oauth.find_token(token_hash("tok"))
        assert stored is not None
        assert stored.revoked
