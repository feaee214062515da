"""Helpers for the account API tests: app tokens, sign-ups and contract checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from argon2 import Parameters, Type
from sqlalchemy import insert

from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.domain.secrets import new_token, token_hash
from godwit.security.passwords import Argon2PasswordHasher
from godwit.storage.schema import oauth_apps, oauth_tokens
from tests.support import openapi

APP_SCOPES = "read write follow push"


def components_of(client: httpx.AsyncClient) -> Components:
    components: Components = client.app.state.components  # type: ignore[attr-defined]
    return components


async def app_token(components: Components, scopes: str = APP_SCOPES) -> dict[str, str]:
    """Headers with a client_credentials-style token: an app's, with no user."""
    now = dt.datetime.now(dt.UTC)
    app_id, token = new_id(), new_token()
    async with components.database.write() as conn:
        await conn.execute(
            insert(oauth_apps).values(
                id=app_id,
                name="sign-up test app",
                redirect_uris="urn:ietf:wg:oauth:2.0:oob",
                scopes=scopes,
                client_id=new_token(),
                client_secret_hash=token_hash(new_token()),
                created_at=now,
            )
        )
        await conn.execute(
            insert(oauth_tokens).values(
                id=new_id(),
                token_hash=token_hash(token),
                app_id=app_id,
                user_id=None,
                scopes=scopes,
                created_at=now,
            )
        )
    return {"Authorization": f"Bearer {token}"}


def sign_up_form(name: str = "alice", **overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "username": name,
        "email": f"{name.lower()}@example.org",
        "password": "correct horse battery staple",
        "agreement": "true",
        "locale": "en",
    }
    form.update(overrides)
    return form


async def sign_up(
    client: httpx.AsyncClient, headers: dict[str, str], name: str = "alice", **overrides: Any
) -> httpx.Response:
    return await client.post(
        "/api/v1/accounts", data=sign_up_form(name, **overrides), headers=headers
    )


def check_contract(response: httpx.Response) -> None:
    """Fail unless the response matches the Mastodon OpenAPI contract (when available)."""
    contract = openapi.load_contract()
    if contract is None:
        return
    contract.check(
        response.request.method,
        response.request.url.path,
        response.status_code,
        response.headers.get("content-type", ""),
        response.content,
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# Sign-up tests hash many passwords; cheap argon2id parameters keep them quick. The
# production parameters are covered by tests/security and tests/services.
FAST_ARGON2 = Parameters(
    type=Type.ID, version=19, salt_len=16, hash_len=32, time_cost=1, memory_cost=1024, parallelism=1
)


def use_fast_hashing(components: Components) -> None:
    service = components.services.accounts
    service.hasher = Argon2PasswordHasher(components.password_pool, FAST_ARGON2)
