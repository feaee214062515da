"""OAuth applications and the credentials a bearer token carries."""

from __future__ import annotations

from dataclasses import dataclass

OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"


@dataclass(frozen=True, slots=True)
class Credentials:
    """Who is calling: resolved from a bearer token on every authenticated request."""

    token_id: int
    app_id: int
    scopes: frozenset[str]
    user_id: int | None = None  # None for client_credentials tokens
    account_id: int | None = None
    role: str = "member"


@dataclass(frozen=True, slots=True)
class OAuthApp:
    id: int
    name: str
    website: str | None
    redirect_uris: tuple[str, ...]
    scopes: frozenset[str]
    client_id: str
