"""Application and CredentialApplication entities (POST /api/v1/apps, verify_credentials)."""

from __future__ import annotations

from typing import Any

from godwit.domain.oauth import OAuthApp
from godwit.domain.scopes import ordered


def render_application(app: OAuthApp) -> dict[str, Any]:
    return {
        "id": str(app.id),
        "name": app.name,
        "website": app.website,
        "scopes": ordered(app.scopes),
        "redirect_uri": app.redirect_uri,
        "redirect_uris": list(app.redirect_uris),
        # Web Push is not offered; Mastodon clients expect the key to be present.
        "vapid_key": "",
    }


def render_credential_application(app: OAuthApp, client_secret: str) -> dict[str, Any]:
    """The application with its client credentials: answered once, at registration."""
    return {
        **render_application(app),
        "client_id": app.client_id,
        "client_secret": client_secret,
        "client_secret_expires_at": 0,
    }
