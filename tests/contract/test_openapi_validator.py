"""The OpenAPI response validator itself: good entities pass, bad ones fail."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support import openapi
from tests.support.contract_plugin import require_contract
from tests.support.openapi import Contract, ContractViolation

NOW = "2024-05-01T12:00:00.000Z"


@pytest.fixture
def violations_expected() -> Iterator[None]:
    """These tests provoke violations on purpose; keep them out of the session's record."""
    before = len(openapi.LOG.violations)
    yield
    del openapi.LOG.violations[before:]


def account(**changes: Any) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "id": "110000000000000001",
        "username": "alice",
        "acct": "alice",
        "display_name": "Alice",
        "locked": False,
        "bot": False,
        "group": False,
        "discoverable": True,
        "indexable": False,
        "created_at": "2024-05-01T00:00:00.000Z",
        "note": "",
        "url": "http://127.0.0.1:8000/@alice",
        "uri": "http://127.0.0.1:8000/users/alice",
        "avatar": "http://127.0.0.1:8000/avatars/original/missing.png",
        "avatar_static": "http://127.0.0.1:8000/avatars/original/missing.png",
        "header": "http://127.0.0.1:8000/headers/original/missing.png",
        "header_static": "http://127.0.0.1:8000/headers/original/missing.png",
        "followers_count": 0,
        "following_count": 0,
        "statuses_count": 1,
        "last_status_at": "2024-05-01",
        "emojis": [],
        "fields": [],
    }
    entity.update(changes)
    return entity


def status(**changes: Any) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "id": "110000000000000002",
        "created_at": NOW,
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": "http://127.0.0.1:8000/users/alice/statuses/110000000000000002",
        "url": "http://127.0.0.1:8000/@alice/110000000000000002",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "edited_at": None,
        "content": "<p>hello</p>",
        "reblog": None,
        "application": {"name": "Web", "website": None},
        "account": account(),
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
        "card": None,
        "poll": None,
    }
    entity.update(changes)
    return entity


def body(data: Any) -> bytes:
    return json.dumps(data).encode()


def test_a_well_formed_status_passes(contract: Contract) -> None:
    contract.check("GET", "/api/v1/statuses/1", 200, "application/json", body(status()))
    contract.check("GET", "/api/v1/timelines/home", 200, "application/json", body([status()]))
    assert openapi.LOG.validated["GET /api/v1/statuses/{id}"] >= 1


@pytest.mark.usefixtures("violations_expected")
@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(status(id=110000000000000002), id="id-as-number"),
        pytest.param(status(visibility="friends"), id="unknown-visibility"),
        pytest.param(status(created_at="2024-05-01 12:00"), id="not-rfc3339"),
        pytest.param({k: v for k, v in status().items() if k != "mentions"}, id="missing-field"),
        pytest.param(status(account=account(followers_count="3")), id="nested-wrong-type"),
        pytest.param(status(account=account(avatar="/missing.png")), id="relative-url"),
        pytest.param(status(account=account(last_status_at=NOW)), id="datetime-for-date"),
        pytest.param(status(reblog={"id": "1"}), id="incomplete-reblog"),
    ],
)
def test_a_broken_status_fails(contract: Contract, broken: dict[str, Any]) -> None:
    with pytest.raises(ContractViolation, match=r"GET /api/v1/statuses/\{id\}"):
        contract.check("GET", "/api/v1/statuses/1", 200, "application/json", body(broken))


def test_the_most_literal_template_wins(contract: Contract) -> None:
    assert contract.find("GET", "/api/v1/accounts/verify_credentials").template == (
        "/api/v1/accounts/verify_credentials"
    )
    found = contract.find("GET", "/api/v1/accounts/123/statuses")
    assert found is not None
    assert found.template == "/api/v1/accounts/{id}/statuses"
    assert contract.find("GET", "/api/v1/no/such/thing") is None


@pytest.mark.usefixtures("violations_expected")
def test_the_specs_own_instance_example_passes_and_a_damaged_copy_fails(
    contract: Contract,
) -> None:
    example = contract.document["components"]["examples"]["Instance200Example"]["value"]
    contract.check("GET", "/api/v2/instance", 200, "application/json", body(example))
    damaged = copy.deepcopy(example)
    del damaged["configuration"]["statuses"]["max_characters"]
    with pytest.raises(ContractViolation, match="max_characters"):
        contract.check("GET", "/api/v2/instance", 200, "application/json", body(damaged))


@pytest.mark.usefixtures("violations_expected")
def test_the_documented_relaxation_allows_an_empty_contact_email_only(
    contract: Contract,
) -> None:
    example = copy.deepcopy(
        contract.document["components"]["examples"]["Instance200Example"]["value"]
    )
    example["contact"]["email"] = ""
    contract.check("GET", "/api/v2/instance", 200, "application/json", body(example))
    example["contact"]["email"] = "not an address"
    with pytest.raises(ContractViolation, match="email"):
        contract.check("GET", "/api/v2/instance", 200, "application/json", body(example))


@pytest.mark.usefixtures("violations_expected")
def test_error_bodies_and_server_errors(contract: Contract) -> None:
    contract.check("GET", "/api/v1/statuses/1", 404, "application/json", b'{"error":"x"}')
    with pytest.raises(ContractViolation, match="error body"):
        contract.check("GET", "/api/v1/statuses/1", 404, "application/json", b'{"message":"x"}')
    with pytest.raises(ContractViolation, match="500"):
        contract.check("GET", "/api/v1/statuses/1", 500, "application/json", b'{"error":"x"}')
    with pytest.raises(ContractViolation, match="invalid JSON"):
        contract.check("GET", "/api/v1/statuses/1", 200, "application/json", b"{nope")


def test_responses_outside_the_contract_are_recorded_not_judged(contract: Contract) -> None:
    contract.check("GET", "/nodeinfo/2.0", 200, "application/json", b'{"version":"2.0"}')
    assert openapi.LOG.outside_contract["GET /nodeinfo/2.0"] >= 1


@pytest.mark.usefixtures("violations_expected")
def test_the_httpx_hook_rejects_a_bad_entity(contract: Contract) -> None:
    def serve(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"id": 5, "username": "x"})

    hooks = {"response": [openapi.httpx_sync_hook]}
    http = httpx.Client(transport=httpx.MockTransport(serve), event_hooks=hooks)
    with http, pytest.raises(ContractViolation, match="GET /api/v1/accounts/"):
        http.get("http://server.test/api/v1/accounts/5")


@pytest.mark.parametrize(("required", "outcome"), [("", "skip"), ("1", "fail")])
def test_a_missing_contract_skips_a_fresh_clone_and_fails_ci(
    monkeypatch: pytest.MonkeyPatch, required: str, outcome: str
) -> None:
    monkeypatch.setattr(openapi, "load_contract", lambda: None)
    monkeypatch.setenv("GODWIT_TEST_REQUIRE_SHARED", required)
    expected = pytest.skip.Exception if outcome == "skip" else pytest.fail.Exception
    with pytest.raises(expected, match=r"\.\./shared/specs/mastodon-openapi\.json"):
        require_contract()


def test_the_contract_is_found_through_the_repository_relative_path() -> None:
    assert openapi.SPEC_RELATIVE_PATH.as_posix() == "../shared/specs/mastodon-openapi.json"
    assert openapi.SPEC_PATH == openapi.REPO_ROOT / ".." / "shared" / "specs" / (
        "mastodon-openapi.json"
    )
