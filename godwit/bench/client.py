"""The Mastodon client API calls the harness makes, over one shared ``httpx.AsyncClient``.

Only documented Mastodon endpoints: an app (``POST /api/v1/apps``), its client-credentials
token, sign-up (``POST /api/v1/accounts``), ``verify_credentials``, follow, post, the home
and account timelines, and the ``user`` Server-Sent-Events stream.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

SCOPES = "read write follow"
OOB = "urn:ietf:wg:oauth:2.0:oob"
PAGE = 20  # limit= of every timeline read (Mastodon's default page)


class ApiError(RuntimeError):
    """A preparation call the server refused (the timed phases count statuses instead)."""

    def __init__(self, what: str, response: httpx.Response) -> None:
        super().__init__(f"{what}: HTTP {response.status_code} {response.text[:300]}")
        self.status = response.status_code


def new_client(base_url: str, *, connections: int, timeout: float = 10.0) -> httpx.AsyncClient:
    """A client with a bounded pool: at most ``connections`` sockets to the server; requests
    beyond them wait for one (that wait counts in their latency)."""
    return httpx.AsyncClient(
        base_url=base_url,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        timeout=httpx.Timeout(timeout, pool=None),
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _checked(what: str, response: httpx.Response) -> Any:
    if not response.is_success:
        raise ApiError(what, response)
    return response.json()


@dataclass(frozen=True)
class App:
    client_id: str
    client_secret: str


async def create_app(http: httpx.AsyncClient, name: str = "godwit-bench") -> App:
    body = _checked(
        "POST /api/v1/apps",
        await http.post(
            "/api/v1/apps",
            data={"client_name": name, "redirect_uris": OOB, "scopes": SCOPES},
        ),
    )
    return App(str(body["client_id"]), str(body["client_secret"]))


async def app_token(http: httpx.AsyncClient, app: App) -> str:
    body = _checked(
        "POST /oauth/token (client_credentials)",
        await http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                "scope": SCOPES,
            },
        ),
    )
    return str(body["access_token"])


def sign_up_form(username: str, email: str, password: str) -> dict[str, str]:
    return {
        "username": username,
        "email": email,
        "password": password,
        "agreement": "true",
        "locale": "en",
    }


async def sign_up(
    http: httpx.AsyncClient, app_token_: str, username: str, email: str, password: str
) -> str:
    """The new member's access token."""
    body = _checked(
        "POST /api/v1/accounts",
        await http.post(
            "/api/v1/accounts",
            data=sign_up_form(username, email, password),
            headers=bearer(app_token_),
        ),
    )
    return str(body["access_token"])


async def account_id(http: httpx.AsyncClient, token: str) -> str:
    body = _checked(
        "GET /api/v1/accounts/verify_credentials",
        await http.get("/api/v1/accounts/verify_credentials", headers=bearer(token)),
    )
    return str(body["id"])


async def follow(http: httpx.AsyncClient, token: str, target_id: str) -> None:
    _checked(
        "POST /api/v1/accounts/:id/follow",
        await http.post(f"/api/v1/accounts/{target_id}/follow", headers=bearer(token)),
    )


async def post_status(http: httpx.AsyncClient, token: str, text: str) -> str:
    body = _checked(
        "POST /api/v1/statuses",
        await http.post("/api/v1/statuses", data={"status": text}, headers=bearer(token)),
    )
    return str(body["id"])


async def home_ids(http: httpx.AsyncClient, token: str, limit: int = PAGE) -> list[str]:
    body = _checked(
        "GET /api/v1/timelines/home",
        await http.get("/api/v1/timelines/home", params={"limit": limit}, headers=bearer(token)),
    )
    return [str(status["id"]) for status in body]


async def user_stream_updates(
    http: httpx.AsyncClient, token: str, opened: asyncio.Event | None = None
) -> AsyncIterator[str]:
    """Status ids of ``update`` events on the member's ``user`` stream (SSE), as they come.
    ``opened`` is set once the response has started (or failed)."""
    async with http.stream(
        "GET",
        "/api/v1/streaming/user",
        headers={**bearer(token), "Accept": "text/event-stream"},
        timeout=httpx.Timeout(10.0, read=None),
    ) as response:
        if opened is not None:
            opened.set()
        if not response.is_success:
            await response.aread()
            raise ApiError("GET /api/v1/streaming/user", response)
        event = ""
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "update":
                try:
                    payload = json.loads(line[5:].strip())
                except ValueError:
                    continue
                if isinstance(payload, dict) and "id" in payload:
                    yield str(payload["id"])
            elif not line:
                event = ""
