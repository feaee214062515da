"""Drive schemathesis-generated requests through the in-process app (the conformance run).

The requests (``tests/support/conformance_cases.py``) go through the tests' ``httpx``
client, whose response hook is the project's contract validator (``tests/support/openapi.py``,
with its documented RELAXATIONS and CORRECTED_RESPONSES). So a 5xx, a 2xx body that breaks the
contract and a 4xx body that is not Mastodon's ``Error`` fail exactly as they do everywhere
else in the suite; ``check_response`` adds what the hook does not look at: a 4xx must be JSON
with an ``error`` (browser pages aside: ``HTML_PAGES``), and a 2xx must have a media type the
contract documents for it (and a JSON body where the contract gives its schema).

Hypothesis runs in a worker thread and hands each request to the test's event loop, which is
the one the app and its database connections live on. It runs derandomized and without
shrinking: the same requests every run, and a failure reports the request that caused it.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from hypothesis import HealthCheck, Phase, assume, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.schemas import APIOperation
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.support.conformance_cases import (
    KnownIds,
    WireRequest,
    case_strategy,
    coverage_cases,
    to_wire,
)
from tests.support.openapi import HTML_PAGES, Contract, Operation


@dataclass(frozen=True)
class Budget:
    """Requests per operation: hypothesis examples of valid and invalid data, and at most
    this many of schemathesis' coverage-phase cases."""

    positive: int
    negative: int
    coverage: int = 0
    seed: int | None = None  # None: derandomized (the same requests every run)


def check_response(contract: Contract, request: WireRequest, response: httpx.Response) -> None:
    """What the client's contract hook does not check (the hook already ran)."""
    status = response.status_code
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    path = urlsplit(request.url).path
    op = contract.find(request.method, path)
    if 400 <= status < 500:
        if path in HTML_PAGES and media_type == "text/html":
            return
        assert media_type == "application/json", f"{status} with a {media_type!r} body"
        body = response.json()
        assert isinstance(body, dict), f"{status} error body is not an object: {body!r}"
        assert isinstance(body.get("error"), str), f"{status} error body has no error: {body!r}"
    elif 200 <= status < 300 and op is not None:
        documented = documented_media_types(contract, op, status)
        assert not documented or media_type in documented or "*/*" in documented, (
            f"{status} with a {media_type!r} body; the contract documents {sorted(documented)}"
        )
    if 200 <= status < 300 and op is not None and contract.response_schema(op, status):
        problem = f"{status}: the contract documents a JSON body, got {media_type!r}"
        assert media_type == "application/json", f"{problem} {response.content[:200]!r}"
        assert response.content.strip(), f"{problem} with an empty body"


def documented_media_types(contract: Contract, op: Operation, status: int) -> set[str]:
    responses = contract.document["paths"][op.template][op.method].get("responses", {})
    for code in (str(status), f"{str(status)[0]}XX", "default"):
        if code in responses:
            return set(responses[code].get("content", {}))
    return set()


def cut_event_streams(app: ASGIApp) -> ASGIApp:
    """The app, except that an event stream (a 200 that never ends) ends after its first
    chunk: the client then goes, as one closing the stream does, and the app cleans up."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        streaming = cut = False

        async def forward(message: Message) -> None:
            nonlocal streaming, cut
            if cut:
                return
            if message["type"] == "http.response.start":
                streaming = any(
                    name.lower() == b"content-type" and value.startswith(b"text/event-stream")
                    for name, value in message.get("headers", [])
                )
            elif streaming and message["type"] == "http.response.body":
                cut = bool(message.get("more_body"))
                message = {**message, "more_body": False}
            await send(message)

        await app(scope, receive, forward)

    return wrapped


async def send(client: httpx.AsyncClient, contract: Contract, request: WireRequest) -> int:
    response = await client.request(
        request.method, request.url, headers=request.headers, content=request.body
    )
    check_response(contract, request, response)
    return response.status_code


def explore(
    strategy: st.SearchStrategy[Case],
    examples: int,
    deliver: Callable[[WireRequest], None],
    random_seed: int | None = None,
) -> None:
    """Hypothesis over the strategy, delivering each request; raises on the first failure."""

    @seed(random_seed)
    @settings(
        max_examples=examples,
        derandomize=random_seed is None,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy)
    def run(case: Case) -> None:
        request = to_wire(case)
        assume(request is not None)
        assert request is not None
        deliver(request)

    run()


def cover(cases: Sequence[Case], deliver: Callable[[WireRequest], None]) -> None:
    for case in cases:
        request = to_wire(case)
        if request is not None:
            deliver(request)


async def run_operations(
    client: httpx.AsyncClient,
    contract: Contract,
    operations: Sequence[APIOperation],
    known: KnownIds,
    budget: Budget,
    statuses: dict[str, Counter[int]] | None = None,
) -> list[str]:
    """Every operation in order; the failures found (the first per operation and kind of
    data). The status codes answered are counted per operation into ``statuses``."""
    loop = asyncio.get_running_loop()
    failures: list[str] = []
    statuses = {} if statuses is None else statuses

    for operation in operations:
        counts = statuses.setdefault(operation.label, Counter())

        def deliver(request: WireRequest, counts: Counter[int] = counts) -> None:
            future = asyncio.run_coroutine_threadsafe(send(client, contract, request), loop)
            try:
                counts[future.result()] += 1
            except Exception as error:
                raise AssertionError(
                    f"{request.describe()}\n  {type(error).__name__}: {error}"
                ) from error

        plans: list[tuple[str, Callable[..., None], tuple[Any, ...]]] = []
        for mode, examples in (
            (GenerationMode.POSITIVE, budget.positive),
            (GenerationMode.NEGATIVE, budget.negative),
        ):
            if examples > 0:
                strategy = case_strategy(operation, mode, known)
                plans.append((mode.value, explore, (strategy, examples, deliver, budget.seed)))
        if budget.coverage > 0:
            cases = coverage_cases(operation, known, budget.coverage)
            plans.append(("coverage", cover, (cases, deliver)))
        for kind, function, args in plans:
            try:
                await asyncio.to_thread(function, *args)
            except Unsatisfiable:
                continue  # e.g. nothing to negate in an operation without parameters
            except Exception as error:
                failures.append(f"{operation.label} ({kind}): {error}")
    return failures
