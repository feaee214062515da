"""A suspended member's tokens stop working at once (OWASP API2: revoke on suspension)."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import update

from godwit.app import Components
from godwit.storage.schema import accounts
from tests.api.oauth_helpers import authorization_code, exchange, member_with_password, register_app
from tests.factories import make_member


async def test_a_suspended_members_token_is_refused(client: httpx.AsyncClient) -> None:
    components: Components = client.app.state.components  # type: ignore[attr-defined]
    bob = await make_member(components, "bob")
    before = await client.get("/api/v1/accounts/verify_credentials", headers=bob.headers)
    assert before.status_code == 200

    async with components.database.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == bob.account_id)
            .values(suspended_at=dt.datetime.now(dt.UTC))
        )

    after = await client.get("/api/v1/accounts/verify_credentials", headers=bob.headers)
    assert after.status_code == 401
    posting = await client.post("/api/v1/accounts/1/follow", headers=bob.headers)
    assert posting.status_code == 401


async def test_a_code_granted_before_a_suspension_issues_no_token(
    client: httpx.AsyncClient,
) -> None:
    components: Components = client.app.state.components  # type: ignore[attr-defined]
    bob = await member_with_password(client, "bob")
    app = await register_app(client)
    code = await authorization_code(client, app, "bob")
    async with components.database.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == bob.account_id)
            .values(suspended_at=dt.datetime.now(dt.UTC))
        )
    refused = await exchange(client, app, code)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
