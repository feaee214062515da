"""With the password grant turned off (Mastodon's behaviour), it is refused and unadvertised."""

from __future__ import annotations

import httpx
import pytest

from godwit.config import Settings
from tests.api.oauth_helpers import PASSWORD, member_with_password, register_app


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(enable_password_grant=False)


async def test_password_grant_is_refused_when_off(client: httpx.AsyncClient) -> None:
    await member_with_password(client, "alice")
    app = await register_app(client)
    response = await client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "username": "alice",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
    metadata = (await client.get("/.well-known/oauth-authorization-server")).json()
    assert metadata["grant_types_supported"] == ["authorization_code", "client_credentials"]
