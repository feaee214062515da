"""/oauth/token grants and body formats, /oauth/revoke, and scopes enforced on endpoints."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from sqlalchemy import select

from godwit.storage.schema import oauth_apps, oauth_codes, oauth_tokens
from tests.api.oauth_helpers import (
    PASSWORD,
    authorization_code,
    components_of,
    exchange,
    member_with_password,
    register_app,
)


async def test_client_credentials_token_has_no_user(client: httpx.AsyncClient) -> None:
    app = await register_app(client, scopes="read write")
    response = await client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "scope": "read",
        },
    )
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    assert response.json()["scope"] == "read"
    credentials = await components_of(client).services.oauth.authenticate(token)
    assert credentials is not None
    assert credentials.user_id is None
    auth = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/api/v1/apps/verify_credentials", headers=auth)).status_code == 200


async def test_client_credentials_scope_must_be_within_the_app(client: httpx.AsyncClient) -> None:
    app = await register_app(client, scopes="read")
    response = await client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "scope": "write",
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("encoding", ["form", "json", "multipart"])
async def test_token_accepts_form_json_and_multipart(
    client: httpx.AsyncClient, encoding: str
) -> None:
    app = await register_app(client)
    body = {
        "grant_type": "client_credentials",
        "client_id": app.client_id,
        "client_secret": app.client_secret,
    }
    if encoding == "form":
        response = await client.post("/oauth/token", data=body)
    elif encoding == "json":
        response = await client.post(
            "/oauth/token",
            content=json.dumps(body),
            headers={"Content-Type": "application/json"},
        )
    else:
        response = await client.post(
            "/oauth/token", files={key: (None, value) for key, value in body.items()}
        )
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "read"  # Mastodon's default scope


async def test_client_secret_basic(client: httpx.AsyncClient) -> None:
    app = await register_app(client)
    basic = base64.b64encode(f"{app.client_id}:{app.client_secret}".encode()).decode()
    response = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200, response.text
    bad = base64.b64encode(f"{app.client_id}:wrong".encode()).decode()
    refused = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {bad}"},
    )
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"
    assert "www-authenticate" in refused.headers


async def test_wrong_client_secret_and_unknown_grant(client: httpx.AsyncClient) -> None:
    app = await register_app(client)
    wrong = await client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": "not-it",
        },
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    unknown = await client.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "client_id": app.client_id},
    )
    assert unknown.status_code == 400
    assert unknown.json() == {
        "error": "unsupported_grant_type",
        "error_description": "This grant type is not supported.",
    }
    missing = await client.post("/oauth/token", data={})
    assert missing.status_code == 400
    assert missing.json()["error"] == "invalid_request"


async def test_password_grant_when_enabled(client: httpx.AsyncClient) -> None:
    member = await member_with_password(client, "alice")
    app = await register_app(client)
    for login in ("alice", "alice@example.test"):
        response = await client.post(
            "/oauth/token",
            data={
                "grant_type": "password",
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                "username": login,
                "password": PASSWORD,
                "scope": "read write",
            },
        )
        assert response.status_code == 200, response.text
        token = response.json()["access_token"]
        credentials = await components_of(client).services.oauth.authenticate(token)
        assert credentials is not None
        assert credentials.account_id == member.account_id
    wrong = await client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "username": "alice",
            "password": "not the password",
        },
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"


async def test_revoke(client: httpx.AsyncClient) -> None:
    await member_with_password(client, "alice")
    app = await register_app(client)
    other = await register_app(client)
    token = (await exchange(client, app, await authorization_code(client, app, "alice"))).json()[
        "access_token"
    ]
    auth = {"Authorization": f"Bearer {token}"}

    not_yours = await client.post(
        "/oauth/revoke",
        data={"token": token, "client_id": other.client_id, "client_secret": other.client_secret},
    )
    assert not_yours.status_code == 403
    assert (await client.get("/api/v1/apps/verify_credentials", headers=auth)).status_code == 200

    revoked = await client.post(
        "/oauth/revoke",
        data={"token": token, "client_id": app.client_id, "client_secret": app.client_secret},
    )
    assert revoked.status_code == 200
    assert revoked.json() == {}
    assert (await client.get("/api/v1/apps/verify_credentials", headers=auth)).status_code == 401

    unknown = await client.post(
        "/oauth/revoke",
        data={"token": "no-such", "client_id": app.client_id, "client_secret": app.client_secret},
    )
    assert unknown.status_code == 200
    assert unknown.json() == {}
    unauthenticated = await client.post(
        "/oauth/revoke", data={"token": token, "client_id": app.client_id}
    )
    assert unauthenticated.status_code == 401


async def test_scopes_are_enforced_on_endpoints(client: httpx.AsyncClient) -> None:
    target = await member_with_password(client, "bob")
    await member_with_password(client, "alice")
    app = await register_app(client, scopes="read write")
    code = await authorization_code(client, app, "alice", scope="read:accounts")
    token = (await exchange(client, app, code)).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    follow = f"/api/v1/accounts/{target.account_id}/follow"
    assert (await client.post(follow)).status_code == 401
    assert (await client.post(follow, headers=auth)).status_code == 403
    assert (await client.get("/api/v1/blocks", headers=auth)).status_code == 403

    # "write" covers write:follows through the hierarchy.
    code = await authorization_code(client, app, "alice", scope="write")
    writer = (await exchange(client, app, code)).json()["access_token"]
    followed = await client.post(follow, headers={"Authorization": f"Bearer {writer}"})
    assert followed.status_code == 200, followed.text


async def test_only_hashes_are_stored(client: httpx.AsyncClient) -> None:
    await member_with_password(client, "alice")
    app = await register_app(client)
    code = await authorization_code(client, app, "alice")
    token = (await exchange(client, app, code)).json()["access_token"]
    async with components_of(client).database.read() as conn:
        apps = (await conn.execute(select(oauth_apps))).all()
        codes = (await conn.execute(select(oauth_codes))).all()
        tokens = (await conn.execute(select(oauth_tokens))).all()
    dumped = repr(apps) + repr(codes) + repr(tokens)
    for secret in (app.client_secret, code, token):
        assert secret not in dumped
    assert codes
    assert tokens
