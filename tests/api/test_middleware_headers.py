"""CORS as Mastodon sets it, request ids, security headers and JSON errors for the API."""

from __future__ import annotations

import logging

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from godwit.api.errors import EXCEPTION_HANDLERS
from godwit.api.middleware import RequestIdMiddleware, SecurityHeadersMiddleware
from godwit.app import Components
from godwit.domain.errors import Unavailable
from godwit.storage.schema import statuses
from tests.factories import make_member

ORIGIN = {"Origin": "https://client.example"}


def preflight(method: str, request_headers: str = "") -> dict[str, str]:
    headers = {**ORIGIN, "Access-Control-Request-Method": method}
    if request_headers:
        headers["Access-Control-Request-Headers"] = request_headers
    return headers


async def test_api_preflight_is_answered_without_auth(client: httpx.AsyncClient) -> None:
    response = await client.options(
        "/api/v1/statuses",
        headers=preflight("POST", "Authorization, Content-Type, Idempotency-Key"),
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    for header in ("authorization", "content-type", "idempotency-key"):
        assert header in allowed
    assert "Access-Control-Allow-Credentials" not in response.headers


async def test_api_responses_expose_the_headers_clients_read(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/no-such-endpoint", headers=ORIGIN)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert exposed == {
        "Link",
        "X-RateLimit-Reset",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-Request-Id",
        "Idempotency-Key",
    }


async def test_cors_covers_oauth_token_well_known_and_nodeinfo(client: httpx.AsyncClient) -> None:
    for path in ("/oauth/token", "/oauth/revoke", "/.well-known/nodeinfo", "/nodeinfo/2.0"):
        response = await client.options(path, headers=preflight("POST"))
        assert response.status_code == 200, path
        assert response.headers["Access-Control-Allow-Origin"] == "*", path


async def test_no_cors_on_html_pages(client: httpx.AsyncClient) -> None:
    for path in ("/oauth/authorize", "/about", "/@alice"):
        response = await client.get(path, headers=ORIGIN)
        assert "Access-Control-Allow-Origin" not in response.headers, path
        answer = await client.options(path, headers=preflight("GET"))
        assert "Access-Control-Allow-Origin" not in answer.headers, path


async def test_every_response_has_a_request_id(client: httpx.AsyncClient) -> None:
    first = await client.get("/api/v1/no-such-endpoint")
    second = await client.get("/not-an-api-path")
    ids = {first.headers["X-Request-Id"], second.headers["X-Request-Id"]}
    assert len(ids) == 2
    assert all(len(value) >= 16 for value in ids)


async def test_a_proxy_request_id_is_kept_and_a_malformed_one_replaced(
    client: httpx.AsyncClient,
) -> None:
    kept = await client.get("/api/v1/x", headers={"X-Request-Id": "abc-123_proxy.7"})
    assert kept.headers["X-Request-Id"] == "abc-123_proxy.7"
    replaced = await client.get("/api/v1/x", headers={"X-Request-Id": "bad id\twith spaces"})
    assert replaced.headers["X-Request-Id"] != "bad id\twith spaces"
    assert replaced.headers["X-Request-Id"].isalnum()


async def test_unknown_api_paths_are_json_404s_with_security_headers(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "X-Frame-Options" not in response.headers  # only HTML pages need it


# The pieces below use a tiny app so they do not depend on which routes exist yet.


async def html_page(_request: Request) -> HTMLResponse:
    return HTMLResponse("<p>hello</p>")


async def json_only(_request: Request) -> JSONResponse:
    return JSONResponse({})


async def broken(_request: Request) -> JSONResponse:
    raise RuntimeError("a bug")


async def busy(_request: Request) -> JSONResponse:
    raise Unavailable(retry_after=5)


def tiny_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/page", html_page),
            Route("/api/v1/thing", json_only, methods=["GET"]),
            Route("/api/v1/broken", broken),
            Route("/api/v1/busy", busy),
        ],
        middleware=[Middleware(RequestIdMiddleware), Middleware(SecurityHeadersMiddleware)],
        exception_handlers=dict(EXCEPTION_HANDLERS),  # type: ignore[arg-type]
    )


async def test_html_pages_may_not_be_framed() -> None:
    transport = httpx.ASGITransport(app=tiny_app())
    async with httpx.AsyncClient(transport=transport, base_url="https://t.test") as http:
        response = await http.get("/page")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_wrong_method_is_a_json_405_with_allow() -> None:
    transport = httpx.ASGITransport(app=tiny_app())
    async with httpx.AsyncClient(transport=transport, base_url="https://t.test") as http:
        response = await http.delete("/api/v1/thing")
    assert response.status_code == 405
    assert response.json() == {"error": "Method not allowed"}
    assert "GET" in response.headers["Allow"]


async def test_a_500_is_json_and_carries_the_request_id() -> None:
    transport = httpx.ASGITransport(app=tiny_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://t.test") as http:
        response = await http.get("/api/v1/broken", headers={"X-Request-Id": "trace-me"})
    assert response.status_code == 500
    assert response.json() == {"error": "Internal server error"}
    assert response.headers["X-Request-Id"] == "trace-me"


async def test_a_client_leaving_mid_body_is_not_a_server_error(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """A load generator's timeout or a closed app disconnects while the body is read: no
    500 is logged and nothing is written."""
    app = client.app  # type: ignore[attr-defined]
    components: Components = app.state.components
    member = await make_member(components, "alice")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/statuses",
        "raw_path": b"/api/v1/statuses",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"godwit.test"),
            (b"content-type", b"application/json"),
            (b"authorization", f"Bearer {member.token}".encode()),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("godwit.test", 80),
    }
    messages = iter(
        [
            {"type": "http.request", "body": b'{"status": "hal', "more_body": True},
            {"type": "http.disconnect"},
        ]
    )
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return next(messages)

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    with caplog.at_level(logging.WARNING):
        await app(scope, receive, send)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert sent[0]["status"] == 400
    async with components.database.read() as conn:
        assert await conn.scalar(select(func.count()).select_from(statuses)) == 0


async def test_a_busy_server_answers_503_with_retry_after() -> None:
    transport = httpx.ASGITransport(app=tiny_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://t.test") as http:
        response = await http.get("/api/v1/busy")
    assert response.status_code == 503
    assert response.json() == {"error": "The server is busy; try again shortly"}
    assert response.headers["Retry-After"] == "5"
