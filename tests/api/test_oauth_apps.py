"""POST /api/v1/apps, GET /api/v1/apps/verify_credentials and the OAuth server metadata."""

from __future__ import annotations

import json

import httpx
import pytest

from godwit.domain.scopes import ALL_SCOPES
from tests.api.oauth_helpers import components_of
from tests.factories import make_member


async def test_register_app_answers_a_credential_application(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/apps",
        data={
            "client_name": "Tusky",
            "redirect_uris": "com.keylesspalace.tusky://oauth\nurn:ietf:wg:oauth:2.0:oob",
            "scopes": "read write follow push",
            "website": "https://tusky.app",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Tusky"
    assert body["website"] == "https://tusky.app"
    assert body["scopes"] == ["read", "write", "follow", "push"]
    assert body["redirect_uris"] == ["com.keylesspalace.tusky://oauth", "urn:ietf:wg:oauth:2.0:oob"]
    assert body["redirect_uri"] == "com.keylesspalace.tusky://oauth\nurn:ietf:wg:oauth:2.0:oob"
    assert body["client_secret_expires_at"] == 0
    assert body["vapid_key"] == ""
    assert isinstance(body["id"], str)
    assert body["client_id"]
    assert body["client_secret"]


async def test_register_app_with_json_array_and_default_scope(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/apps",
        content=json.dumps(
            {"client_name": "Elk", "redirect_uris": ["https://elk.zone/a", "https://elk.zone/b"]}
        ),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["scopes"] == ["read"]
    assert response.json()["redirect_uris"] == ["https://elk.zone/a", "https://elk.zone/b"]
    assert response.json()["website"] is None


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"redirect_uris": "https://a.example/cb"}, "client_name"),
        ({"client_name": "x" * 256, "redirect_uris": "https://a.example/cb"}, "client_name"),
        ({"client_name": "App"}, "redirect_uris"),
        ({"client_name": "App", "redirect_uris": "javascript:alert(1)"}, "redirect_uris"),
        ({"client_name": "App", "redirect_uris": "data:text/html,hi"}, "redirect_uris"),
        ({"client_name": "App", "redirect_uris": "https://a.example/cb#frag"}, "redirect_uris"),
        ({"client_name": "App", "redirect_uris": "not-a-uri"}, "redirect_uris"),
        (
            {"client_name": "App", "redirect_uris": "https://a.example/", "scopes": "read fly"},
            "scopes",
        ),
        (
            {"client_name": "App", "redirect_uris": "https://a.example/", "website": "ftp://x"},
            "website",
        ),
    ],
)
async def test_register_app_validation(
    client: httpx.AsyncClient, fields: dict[str, str], bad_field: str
) -> None:
    response = await client.post("/api/v1/apps", data=fields)
    assert response.status_code == 422, response.text
    assert bad_field in response.json()["details"]


async def test_verify_credentials_needs_a_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/apps/verify_credentials")).status_code == 401
    member = await make_member(components_of(client), "alice", scopes="profile")
    response = await client.get("/api/v1/apps/verify_credentials", headers=member.headers)
    assert response.status_code == 200
    assert response.json()["name"] == "test app for alice"
    assert "client_secret" not in response.json()


async def test_authorization_server_metadata(client: httpx.AsyncClient) -> None:
    response = await client.get("/.well-known/oauth-authorization-server")
    assert response.status_code == 200
    body = response.json()
    assert body["issuer"] == "https://godwit.test/"
    assert body["authorization_endpoint"] == "https://godwit.test/oauth/authorize"
    assert body["token_endpoint"] == "https://godwit.test/oauth/token"
    assert body["revocation_endpoint"] == "https://godwit.test/oauth/revoke"
    assert body["app_registration_endpoint"] == "https://godwit.test/api/v1/apps"
    assert set(body["scopes_supported"]) == ALL_SCOPES
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert body["grant_types_supported"] == ["authorization_code", "client_credentials", "password"]
    assert body["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "client_secret_post",
    ]
