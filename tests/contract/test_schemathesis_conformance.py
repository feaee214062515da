"""The schemathesis conformance run over the Mastodon OpenAPI contract (issue 3).

Every operation of ../shared/specs/mastodon-openapi.json that the app's route table serves
gets generated requests: hypothesis examples of valid and invalid data, and a sample of
schemathesis' coverage phase (boundary values, missing or mistyped parameters, unexpected
methods), all deterministic. A member holding every scope sends them (a quarter go
anonymously) to the in-process app, seeded with members, statuses, media, a poll, a list,
filters, a scheduled status, a featured tag, notifications and a conversation; about half
the cases name a seeded record in the path. No answer may be a 5xx, bodies must match the
contract (the project's validator and its documented relaxations), and a 4xx must be JSON
with `error`. Deliberate deviations are listed in docs/api.md.

The Server-Sent-Events streams are fuzzed too: a stream that opens ends after its first
chunk. The streaming WebSocket is not an HTTP operation; its own tests cover it.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest
import schemathesis
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.schemas import OpenApiSchema

from godwit.app import Components, build_app
from godwit.config import Settings
from tests.contract.conformance_seed import seed
from tests.support.conformance import Budget, cut_event_streams, run_operations
from tests.support.contract_plugin import implemented_operations, require_contract
from tests.support.openapi import SPEC_PATH, Contract, httpx_async_hook

# Operations by the contract's tag, run in groups: each group gets a fresh app and seed.
GROUP_OF_TAG = {
    **dict.fromkeys(
        (
            "accounts",
            "follow_requests",
            "blocks",
            "mutes",
            "endorsements",
            "suggestions",
            "directory",
            "domain_blocks",
        ),
        "accounts",
    ),
    **dict.fromkeys(
        (
            "statuses",
            "polls",
            "bookmarks",
            "favourites",
            "scheduled_statuses",
            "conversations",
        ),
        "statuses",
    ),
    "filters": "filters",
    **dict.fromkeys(
        (
            "lists",
            "timelines",
            "markers",
            "tags",
            "followed_tags",
            "featured_tags",
            "trends",
            "search",
        ),
        "timelines",
    ),
}
OTHER = "other"  # instance, media, notifications, push, OAuth and the rest
GROUPS = (*sorted(set(GROUP_OF_TAG.values())), OTHER)

# Requests per operation, about 36. For a deeper run, GODWIT_TEST_CONFORMANCE_SCALE=N
# multiplies them and GODWIT_TEST_CONFORMANCE_SEED=N explores other requests than the fixed ones.
SCALE = int(os.environ.get("GODWIT_TEST_CONFORMANCE_SCALE", "") or "1")
SEED = os.environ.get("GODWIT_TEST_CONFORMANCE_SEED", "")
BUDGET = Budget(
    positive=10 * SCALE,
    negative=6 * SCALE,
    coverage=20 * SCALE,
    seed=int(SEED) if SEED else None,
)
pytestmark = pytest.mark.timeout(300 * SCALE)

# Reads before writes, deletions last, so seeded records live as long as possible; and the
# writes that cut ties (blocking the fan drops their follow request) after the others.
METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 3}
TIE_CUTTERS = ("/block", "/mute", "/remove_from_followers", "/reject", "/unfollow")


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The suite's client (tests/conftest.py, contract hook included), except that event
    streams end after their first chunk, so the Server-Sent-Events operations are fuzzed too."""
    app = build_app(settings)
    components: Components = app.state.components
    await components.start()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=cut_event_streams(app)),
        base_url="https://godwit.test",
        event_hooks={"response": [httpx_async_hook]},
    ) as http:
        http.app = app  # type: ignore[attr-defined]
        yield http
    await components.stop()


@pytest.fixture(scope="module")
def schema() -> OpenApiSchema:
    require_contract()
    return schemathesis.openapi.from_path(SPEC_PATH)


def fuzzed(contract: Contract, schema: OpenApiSchema) -> list[tuple[str, APIOperation]]:
    """(group, operation) for every implemented operation in the contract, in run order."""
    chosen: list[tuple[str, APIOperation]] = []
    for method, path in implemented_operations():
        op = contract.find_template(method, path)
        if op is None:
            continue
        operation = schema[op.template][op.method.upper()]
        tags = operation.tags or []
        chosen.append((GROUP_OF_TAG.get(tags[0] if tags else "", OTHER), operation))

    def rank(item: tuple[str, APIOperation]) -> tuple[int, str]:
        operation = item[1]
        order = METHOD_ORDER[operation.method.upper()]
        return (order + operation.path.endswith(TIE_CUTTERS), operation.path)

    return sorted(chosen, key=rank)


def test_groups_cover_every_implemented_operation(
    contract: Contract, schema: OpenApiSchema
) -> None:
    operations = fuzzed(contract, schema)
    assert {group for group, _ in operations} <= set(GROUPS)
    # The run is not vacuous: the core of the client API is in it.
    labels = {operation.label for _, operation in operations}
    assert {"POST /api/v1/statuses", "GET /api/v1/timelines/home", "GET /api/v2/search"} <= labels


@pytest.mark.parametrize("group", GROUPS)
async def test_conformance(
    group: str, client: httpx.AsyncClient, contract: Contract, schema: OpenApiSchema
) -> None:
    operations = [operation for name, operation in fuzzed(contract, schema) if name == group]
    assert operations
    known = await seed(client, client.app.state.components)  # type: ignore[attr-defined]
    started = time.monotonic()
    statuses: dict[str, Counter[int]] = {}
    failures = await run_operations(client, contract, operations, known, BUDGET, statuses)
    elapsed = time.monotonic() - started
    print(f"{group}: {len(operations)} operations in {elapsed:.1f} s")
    for label, counts in sorted(statuses.items()):
        print(f"  {label}: " + " ".join(f"{code}x{n}" for code, n in sorted(counts.items())))
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
