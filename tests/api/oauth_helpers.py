"""Helpers for the OAuth tests: register apps, make members with real passwords, read forms."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import argon2
import httpx

from godwit.app import Components
from tests.factories import Member, make_member

PASSWORD = "correct horse battery staple"
# Hashing with argon2's defaults is slow; tests need a real hash, not a strong one.
_HASHER = argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@dataclass(frozen=True)
class RegisteredApp:
    id: str
    client_id: str
    client_secret: str
    redirect_uri: str


def components_of(client: httpx.AsyncClient) -> Components:
    return client.app.state.components  # type: ignore[attr-defined, no-any-return]


async def member_with_password(client: httpx.AsyncClient, username: str) -> Member:
    return await make_member(components_of(client), username, password_hash=_HASHER.hash(PASSWORD))


async def register_app(
    client: httpx.AsyncClient,
    *,
    redirect_uris: str = "https://app.example/callback",
    scopes: str = "read write follow",
) -> RegisteredApp:
    response = await client.post(
        "/api/v1/apps",
        data={"client_name": "Test App", "redirect_uris": redirect_uris, "scopes": scopes},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return RegisteredApp(
        body["id"], body["client_id"], body["client_secret"], redirect_uris.split()[0]
    )


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden" and attributes.get("name"):
            self.fields[str(attributes["name"])] = attributes.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(html)
    return parser.fields


def query_of(location: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


async def consent(
    client: httpx.AsyncClient,
    app: RegisteredApp,
    *,
    login: str,
    password: str = PASSWORD,
    decision: str = "authorize",
    redirect_uri: str | None = None,
    **query: str,
) -> httpx.Response:
    """Open the consent page as a browser would, fill it in and press a button."""
    page = await client.get(
        "/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": redirect_uri or app.redirect_uri,
            **query,
        },
    )
    assert page.status_code == 200, page.text
    form: dict[str, Any] = hidden_fields(page.text)
    form.update({"login": login, "password": password, "decision": decision})
    return await client.post("/oauth/authorize", data=form)


async def authorization_code(
    client: httpx.AsyncClient, app: RegisteredApp, login: str, **query: str
) -> str:
    response = await consent(client, app, login=login, **query)
    assert response.status_code == 302, response.text
    return query_of(response.headers["location"])["code"]


async def exchange(
    client: httpx.AsyncClient, app: RegisteredApp, code: str, **extra: str
) -> httpx.Response:
    return await client.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "redirect_uri": app.redirect_uri,
            **extra,
        },
    )
