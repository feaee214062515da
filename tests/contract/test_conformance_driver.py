"""The conformance run's driver itself: it sends what schemathesis generates and it fails on
a 5xx, a body that breaks the contract, and a 4xx that is not a JSON error."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import schemathesis
from schemathesis.specs.openapi.schemas import OpenApiSchema
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.support import openapi
from tests.support.conformance import Budget, check_response, cut_event_streams, run_operations
from tests.support.conformance_cases import (
    BASE_URL,
    KnownIds,
    WireRequest,
    same_path_for_server,
    to_wire,
)
from tests.support.contract_plugin import require_contract
from tests.support.openapi import SPEC_PATH, Contract, httpx_async_hook


@pytest.fixture(scope="module")
def schema() -> OpenApiSchema:
    require_contract()
    return schemathesis.openapi.from_path(SPEC_PATH)


@pytest.fixture
def violations_expected() -> Iterator[None]:
    """These tests provoke violations on purpose; keep them out of the session's record."""
    before = len(openapi.LOG.violations)
    yield
    del openapi.LOG.violations[before:]


def wire(method: str, path: str) -> WireRequest:
    return WireRequest(method=method, url=BASE_URL + path, headers=[], body=b"")


def response(status: int, content: bytes, media_type: str) -> httpx.Response:
    return httpx.Response(status, content=content, headers={"content-type": media_type})


def test_a_case_goes_on_the_wire_as_schemathesis_serialises_it(schema: OpenApiSchema) -> None:
    operation = schema["/api/v1/lists/{id}"]["PUT"]
    case = operation.Case(
        path_parameters={"id": "42"},
        headers={"Authorization": "Bearer abc"},
        body={"title": "Ünïcode", "exclusive": True},
        media_type="application/json",
    )
    request = to_wire(case)
    assert request is not None
    assert (request.method, request.url) == ("PUT", f"{BASE_URL}/api/v1/lists/42")
    assert json.loads(request.body) == {"title": "Ünïcode", "exclusive": True}
    headers = {name.lower(): value for name, value in request.headers}
    assert headers[b"authorization"] == b"Bearer abc"
    assert headers[b"content-type"] == b"application/json"


def test_an_encoded_slash_in_a_path_parameter_is_not_sent() -> None:
    # The server routes on the decoded path, the validator on the raw one: they would disagree.
    assert same_path_for_server(f"{BASE_URL}/api/v1/statuses/12")
    assert not same_path_for_server(f"{BASE_URL}/api/v1/statuses/1%2Fcontext")


def test_client_errors_must_be_json_with_an_error(contract: Contract) -> None:
    lists = wire("GET", "/api/v1/lists/1")
    check_response(
        contract, lists, response(404, b'{"error": "Record not found"}', "application/json")
    )
    with pytest.raises(AssertionError, match="text/plain"):
        check_response(contract, lists, response(404, b"Not Found", "text/plain"))
    with pytest.raises(AssertionError, match="no error"):
        check_response(contract, lists, response(422, b'{"message": "bad"}', "application/json"))
    # The authorization page is a browser page: its errors are HTML (docs/api.md, deviations).
    page = wire("GET", "/oauth/authorize?client_id=nope")
    check_response(contract, page, response(400, b"<p>Unknown app</p>", "text/html"))


def test_a_documented_json_success_must_have_a_json_body(contract: Contract) -> None:
    lists = wire("GET", "/api/v1/lists")
    with pytest.raises(AssertionError, match="documents \\['application/json'\\]"):
        check_response(contract, lists, response(200, b"[]", "text/plain"))
    with pytest.raises(AssertionError, match="empty body"):
        check_response(contract, lists, response(200, b"", "application/json"))
    check_response(contract, wire("GET", "/api/v1/lists"), response(200, b"[]", "application/json"))


def test_a_success_has_a_media_type_the_contract_documents(contract: Contract) -> None:
    stream = wire("GET", "/api/v1/streaming/public")
    check_response(contract, stream, response(200, b":)\n\n", "text/event-stream"))
    with pytest.raises(AssertionError, match="text/event-stream"):
        check_response(contract, stream, response(200, b"[]", "application/json"))


async def test_event_streams_end_after_their_first_chunk() -> None:
    closed = asyncio.Event()

    async def endless() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b":)\n\n"
                await asyncio.sleep(0.01)
        finally:
            closed.set()

    async def stream(_request: Request) -> Response:
        return StreamingResponse(endless(), media_type="text/event-stream")

    app = cut_event_streams(Starlette(routes=[Route("/stream", stream)]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as http:
        answered = await asyncio.wait_for(http.get("/stream"), 5)
    assert (answered.status_code, answered.content) == (200, b":)\n\n")
    await asyncio.wait_for(closed.wait(), 5)  # the app saw the client go and cleaned up


async def _crash(_request: Request) -> Response:
    raise RuntimeError("boom")


async def _wrong_shape(_request: Request) -> Response:
    return JSONResponse([{"id": 1}])  # a List's id is a string and its title is required


async def _html_404(_request: Request) -> Response:
    return HTMLResponse("<h1>Not Found</h1>", status_code=404)


@pytest.fixture
async def broken_client() -> AsyncIterator[httpx.AsyncClient]:
    """A stand-in server that gets three operations wrong, behind the suite's contract hook."""
    app = Starlette(
        routes=[
            Route("/api/v1/custom_emojis", _crash),
            Route("/api/v1/lists", _wrong_shape),
            Route("/api/v1/markers", _html_404),
        ]
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=BASE_URL,
        event_hooks={"response": [httpx_async_hook]},
    ) as client:
        yield client


@pytest.mark.usefixtures("violations_expected")
async def test_the_run_reports_every_broken_operation(
    broken_client: httpx.AsyncClient, contract: Contract, schema: OpenApiSchema
) -> None:
    operations = [
        schema["/api/v1/custom_emojis"]["GET"],
        schema["/api/v1/lists"]["GET"],
        schema["/api/v1/markers"]["GET"],
    ]
    failures = await run_operations(
        broken_client, contract, operations, KnownIds(token="t"), Budget(positive=3, negative=0)
    )
    assert len(failures) == 3, failures
    emojis, lists, markers = failures
    assert "GET /api/v1/custom_emojis" in emojis
    assert "boom" in emojis
    assert "GET /api/v1/lists" in lists
    assert "does not match the contract" in lists
    assert "GET /api/v1/markers" in markers
    assert "text/html" in markers
