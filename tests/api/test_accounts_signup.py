"""POST /api/v1/accounts: registration modes, validation in Mastodon's shape, no partial write."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from godwit.app import Components
from godwit.config import Settings
from godwit.storage.schema import accounts, oauth_tokens, users
from tests.api.accounts_support import (
    app_token,
    bearer,
    check_contract,
    components_of,
    sign_up,
    sign_up_form,
    use_fast_hashing,
)
from tests.factories import make_member


@pytest.fixture(autouse=True)
def _fast_hashing(request: pytest.FixtureRequest) -> None:
    if "client" in request.fixturenames:
        use_fast_hashing(components_of(request.getfixturevalue("client")))


async def set_mode(components: Components, mode: str) -> None:
    async with components.store.write() as tx:
        await tx.instance.set_setting("registration_mode", mode)


async def row_counts(components: Components) -> tuple[int, int, int]:
    async with components.database.read() as conn:
        return (
            (await conn.execute(select(func.count()).select_from(accounts))).scalar_one(),
            (await conn.execute(select(func.count()).select_from(users))).scalar_one(),
            (await conn.execute(select(func.count()).select_from(oauth_tokens))).scalar_one(),
        )


async def test_open_sign_up_returns_a_token_for_a_working_account(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    headers = await app_token(components)
    response = await sign_up(client, headers, "Alice")
    assert response.status_code == 200, response.text
    check_contract(response)
    token = response.json()
    assert token["token_type"] == "Bearer"
    assert token["scope"] == "read write follow push"
    assert isinstance(token["created_at"], int)

    me = await client.get(
        "/api/v1/accounts/verify_credentials", headers=bearer(token["access_token"])
    )
    assert me.status_code == 200
    check_contract(me)
    body = me.json()
    assert body["username"] == "Alice"
    assert body["acct"] == "Alice"
    assert body["url"] == "https://godwit.test/@Alice"
    assert body["uri"] == "https://godwit.test/users/Alice"

    async with components.store.read() as tx:
        account = await tx.accounts.find_local("alice")
        assert account is not None
        user = await tx.accounts.get_user_by_account(account.id)
    assert account.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert user is not None
    assert user.email == "alice@example.org"
    assert user.approved is True
    # the password was stored as argon2id and signs in
    signed_in = await components.services.accounts.authenticate_password(
        "alice@example.org", "correct horse battery staple"
    )
    assert signed_in is not None
    assert signed_in.id == user.id


async def test_json_and_multipart_bodies_are_accepted(client: httpx.AsyncClient) -> None:
    headers = await app_token(components_of(client))
    as_json = await client.post(
        "/api/v1/accounts", json={**sign_up_form("jason"), "agreement": True}, headers=headers
    )
    assert as_json.status_code == 200, as_json.text
    multipart = await client.post(
        "/api/v1/accounts",
        files={key: (None, str(value)) for key, value in sign_up_form("multi").items()},
        headers=headers,
    )
    assert multipart.status_code == 200, multipart.text


async def test_approval_mode_keeps_the_token_unusable_until_approved(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    await set_mode(components, "approval")
    headers = await app_token(components)
    response = await sign_up(client, headers, "pending", reason="I birdwatch")
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    me = await client.get("/api/v1/accounts/verify_credentials", headers=bearer(token))
    # As Mastodon's require_user!: the token is known, the login may not act yet.
    assert me.status_code == 403
    assert me.json()["error"] == "Your login is currently pending approval"
    async with components.store.read() as tx:
        account = await tx.accounts.find_local("pending")
        assert account is not None
        user = await tx.accounts.get_user_by_account(account.id)
    assert user is not None
    assert user.approved is False
    assert user.can_sign_in is False
    async with components.database.read() as conn:
        reason = (
            await conn.execute(select(users.c.signup_reason).where(users.c.id == user.id))
        ).scalar_one()
    assert reason == "I birdwatch"


async def test_closed_mode_refuses_with_403_and_writes_nothing(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    headers = await app_token(components)
    before = await row_counts(components)
    await set_mode(components, "closed")
    response = await sign_up(client, headers, "latecomer")
    assert response.status_code == 403
    assert "closed" in response.json()["error"]
    assert await row_counts(components) == before


async def test_the_settings_mode_applies_when_no_runtime_setting_exists(
    settings: Settings,
) -> None:
    from godwit.app import build_app

    app = build_app(settings.replace(registration_mode="closed"))
    components: Components = app.state.components
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="https://godwit.test") as http:
            response = await sign_up(http, await app_token(components), "someone")
        assert response.status_code == 403
    finally:
        await components.stop()


async def test_sign_up_needs_a_token_with_write_accounts(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    assert (await client.post("/api/v1/accounts", data=sign_up_form("x1"))).status_code == 401
    bad = await client.post("/api/v1/accounts", data=sign_up_form("x2"), headers=bearer("nope"))
    assert bad.status_code == 401
    read_only = await app_token(components, scopes="read")
    assert (await sign_up(client, read_only, "x3")).status_code == 403


def details(response: httpx.Response) -> dict[str, list[str]]:
    return {
        field: [e["error"] for e in errors] for field, errors in response.json()["details"].items()
    }


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"username": ""}, "username", "ERR_BLANK"),
        ({"username": "has space"}, "username", "ERR_INVALID"),
        ({"username": "dash-name"}, "username", "ERR_INVALID"),
        ({"username": "émile"}, "username", "ERR_INVALID"),
        ({"username": "a" * 31}, "username", "ERR_TOO_LONG"),
        ({"username": "Admin"}, "username", "ERR_RESERVED"),
        ({"username": "root"}, "username", "ERR_RESERVED"),
        ({"email": ""}, "email", "ERR_BLANK"),
        ({"email": "not-an-email"}, "email", "ERR_INVALID"),
        ({"email": "two@@example.org"}, "email", "ERR_INVALID"),
        ({"password": ""}, "password", "ERR_BLANK"),
        ({"password": "short"}, "password", "ERR_TOO_SHORT"),
        ({"password": "x" * 129}, "password", "ERR_TOO_LONG"),
        ({"agreement": "false"}, "agreement", "ERR_ACCEPTED"),
        ({"agreement": None}, "agreement", "ERR_ACCEPTED"),
        ({"locale": "not a locale"}, "locale", "ERR_INCLUSION"),
    ],
)
async def test_each_validation_error_has_its_mastodon_details(
    client: httpx.AsyncClient, overrides: dict[str, Any], field: str, code: str
) -> None:
    components = components_of(client)
    headers = await app_token(components)
    before = await row_counts(components)
    form = {k: v for k, v in sign_up_form("valid_name", **overrides).items() if v is not None}
    response = await client.post("/api/v1/accounts", data=form, headers=headers)
    assert response.status_code == 422, response.text
    check_contract(response)
    body = response.json()
    assert body["error"].startswith("Validation failed: ")
    assert details(response) == {field: [code]}
    entry = body["details"][field][0]
    assert set(entry) == {"error", "description"}
    assert entry["description"] in body["error"]
    assert await row_counts(components) == before


async def test_all_problems_are_reported_together(client: httpx.AsyncClient) -> None:
    headers = await app_token(components_of(client))
    form = sign_up_form("bad name", email="nope", password="short", agreement="false")
    response = await client.post("/api/v1/accounts", data=form, headers=headers)
    assert response.status_code == 422
    assert details(response) == {
        "username": ["ERR_INVALID"],
        "email": ["ERR_INVALID"],
        "password": ["ERR_TOO_SHORT"],
        "agreement": ["ERR_ACCEPTED"],
    }
    assert response.json()["error"] == (
        "Validation failed: Username must contain only letters, numbers and underscores, "
        "Email is invalid, Password is too short (minimum is 8 characters), "
        "Agreement must be accepted"
    )


async def test_duplicate_username_and_email_are_taken_case_insensitively(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    headers = await app_token(components)
    assert (await sign_up(client, headers, "alice")).status_code == 200
    before = await row_counts(components)
    again = await sign_up(client, headers, "ALICE", email="ALICE@Example.org")
    assert again.status_code == 422
    assert details(again) == {"username": ["ERR_TAKEN"], "email": ["ERR_TAKEN"]}
    assert again.json()["error"] == (
        "Validation failed: Username has already been taken, Email has already been taken"
    )
    assert await row_counts(components) == before


async def test_a_name_taken_by_an_existing_member_is_refused(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    await make_member(components, "Birder")
    response = await sign_up(client, await app_token(components), "birder", email="new@example.org")
    assert details(response) == {"username": ["ERR_TAKEN"]}


async def test_wrong_types_are_422_not_500(client: httpx.AsyncClient) -> None:
    headers = await app_token(components_of(client))
    response = await client.post(
        "/api/v1/accounts",
        json={**sign_up_form("typed"), "username": ["list"], "agreement": True},
        headers=headers,
    )
    assert response.status_code == 422
    response = await client.post(
        "/api/v1/accounts", json={**sign_up_form("typed"), "agreement": "maybe"}, headers=headers
    )
    assert response.status_code == 422
    malformed = await client.post(
        "/api/v1/accounts",
        content=b'{"username": ',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert malformed.status_code == 400


async def test_concurrent_sign_ups_for_one_name_never_fail_with_500(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    headers = await app_token(components)
    responses = await asyncio.gather(
        *(sign_up(client, headers, "Racer", email=f"racer{n}@example.org") for n in range(4))
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 422, 422, 422]
    for response in responses:
        if response.status_code == 422:
            assert details(response) == {"username": ["ERR_TAKEN"]}
    assert (await row_counts(components))[0] == 1
