"""Bad input of every kind against the live server, with raw HTTP.

Each case must get a 4xx with a JSON ``{"error": ...}`` body (the contract hook also checks
that shape, and that nothing answered 5xx), and must write nothing.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Person, SignUp
from tests.support.live_server import LiveServer
from tests.support.rows import row_counts

UNKNOWN_ID = "109999999999999999"


@pytest.fixture(scope="module")
def member(sign_up: SignUp) -> Person:
    return sign_up("badinput")


@pytest.fixture(scope="module")
def other(sign_up: SignUp) -> Person:
    return sign_up("bystander")


def assert_error(response: httpx.Response, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("error"), str)
    assert body["error"]
    return body


def snapshot(live_server: LiveServer) -> dict[str, int]:
    """What a bad request must not change: the row count of every table.

    Read once background jobs from earlier requests have settled (two equal readings).
    """
    previous = row_counts(live_server.database_url)
    for _ in range(50):
        time.sleep(0.1)
        current = row_counts(live_server.database_url)
        if current == previous:
            return current
        previous = current
    return previous


JSON = {"Content-Type": "application/json"}

MALFORMED_BODIES = [
    pytest.param(b'{"status": "unterminated', JSON, id="truncated-json"),
    pytest.param(b'["status", "a list"]', JSON, id="json-array"),
    pytest.param(b'"just a string"', JSON, id="json-scalar"),
    pytest.param(b"[" * 50_000 + b"]" * 50_000, JSON, id="deeply-nested-json"),
    pytest.param(b'{"status": "\xff\xfe"}', JSON, id="invalid-utf8-json"),
    pytest.param(
        b"status=%FF%FE", {"Content-Type": "application/x-www-form-urlencoded"}, id="bad-utf8-form"
    ),
    pytest.param(
        b"--nope\r\nbroken", {"Content-Type": "multipart/form-data; boundary=x"}, id="bad-multipart"
    ),
    pytest.param(b"status=hello", {"Content-Type": "text/plain"}, id="unsupported-type"),
]


@pytest.mark.parametrize(("body", "headers"), MALFORMED_BODIES)
def test_malformed_bodies_are_refused_without_writing(
    http: httpx.Client,
    live_server: LiveServer,
    member: Person,
    body: bytes,
    headers: dict[str, str],
) -> None:
    before = snapshot(live_server)
    response = http.post("/api/v1/statuses", content=body, headers={**member.headers, **headers})
    assert_error(response, 400, 415, 422)
    assert snapshot(live_server) == before


WRONG_TYPES = [
    pytest.param({"status": {"nested": "object"}}, id="status-object"),
    pytest.param({"status": ["a", "list"]}, id="status-list"),
    pytest.param({"status": "ok", "sensitive": "perhaps"}, id="sensitive-not-bool"),
    pytest.param({"status": "ok", "visibility": "friends"}, id="invalid-visibility"),
    pytest.param({"status": "ok", "visibility": 3}, id="visibility-number"),
    pytest.param({"status": "ok", "in_reply_to_id": "not-an-id"}, id="malformed-reply-id"),
    pytest.param({"status": "ok", "in_reply_to_id": UNKNOWN_ID}, id="unknown-reply-id"),
    pytest.param({"status": "ok", "media_ids": "nope"}, id="media-ids-not-list"),
    pytest.param({"status": "ok", "media_ids": [UNKNOWN_ID]}, id="unknown-media"),
    pytest.param({"status": "ok", "spoiler_text": {"a": 1}}, id="spoiler-object"),
    pytest.param({"status": "ok", "poll": "yes"}, id="poll-not-object"),
    pytest.param({"status": ""}, id="empty-status"),
    pytest.param({"status": "x" * 501}, id="too-long"),
    pytest.param({"status": "nul \u0000 byte"}, id="nul-byte"),
    pytest.param({"status": "ok", "language": "not a language"}, id="bad-language"),
    pytest.param({"status": "ok", "scheduled_at": "yesterday"}, id="bad-scheduled-at"),
]


@pytest.mark.parametrize("payload", WRONG_TYPES)
def test_wrong_types_and_invalid_values_are_422_without_writing(
    http: httpx.Client, live_server: LiveServer, member: Person, payload: dict[str, Any]
) -> None:
    before = snapshot(live_server)
    response = http.post("/api/v1/statuses", json=payload, headers=member.headers)
    assert_error(response, 404, 422)
    assert snapshot(live_server) == before


def test_invalid_visibility_is_a_422_with_details(http: httpx.Client, member: Person) -> None:
    response = http.post(
        "/api/v1/statuses",
        data={"status": "hello", "visibility": "friends"},
        headers=member.headers,
    )
    assert_error(response, 422)


def test_a_200_kb_body_is_refused_without_writing(
    http: httpx.Client, live_server: LiveServer, member: Person
) -> None:
    before = snapshot(live_server)
    text = "a" * 200_000
    as_json = http.post("/api/v1/statuses", json={"status": text}, headers=member.headers)
    # Over the 500-character limit (422) or, with a lower GODWIT_MAX_BODY_BYTES, too large.
    assert_error(as_json, 413, 422)
    as_form = http.post("/api/v1/statuses", data={"status": text}, headers=member.headers)
    assert_error(as_form, 413, 422)
    as_multipart = http.post(
        "/api/v1/statuses", files={"status": (None, text)}, headers=member.headers
    )
    assert_error(as_multipart, 413, 422)
    assert snapshot(live_server) == before


@pytest.mark.parametrize(
    ("content_type", "make_body"),
    [
        ("application/json", lambda size: json.dumps({"status": "a" * size}).encode()),
        ("application/x-www-form-urlencoded", lambda size: b"status=" + b"a" * size),
    ],
    ids=["json", "form"],
)
def test_a_body_over_the_limit_is_413_without_writing(
    http: httpx.Client, live_server: LiveServer, member: Person, content_type: str, make_body: Any
) -> None:
    before = snapshot(live_server)
    body = make_body(2 * 1024 * 1024)  # twice the default GODWIT_MAX_BODY_BYTES
    response = http.post(
        "/api/v1/statuses", content=body, headers={**member.headers, "Content-Type": content_type}
    )
    assert_error(response, 413)
    assert snapshot(live_server) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/api/v1/statuses/{UNKNOWN_ID}"),
        ("GET", f"/api/v1/statuses/{UNKNOWN_ID}/context"),
        ("DELETE", f"/api/v1/statuses/{UNKNOWN_ID}"),
        ("POST", f"/api/v1/statuses/{UNKNOWN_ID}/favourite"),
        ("POST", f"/api/v1/statuses/{UNKNOWN_ID}/reblog"),
        ("GET", f"/api/v1/accounts/{UNKNOWN_ID}"),
        ("GET", f"/api/v1/accounts/{UNKNOWN_ID}/statuses"),
        ("POST", f"/api/v1/accounts/{UNKNOWN_ID}/follow"),
        ("POST", f"/api/v1/accounts/{UNKNOWN_ID}/block"),
        ("POST", f"/api/v1/accounts/{UNKNOWN_ID}/mute"),
        ("POST", f"/api/v1/follow_requests/{UNKNOWN_ID}/authorize"),
        ("GET", f"/api/v1/notifications/{UNKNOWN_ID}"),
        ("GET", "/api/v1/accounts/lookup?acct=nobody_here_at_all"),
    ],
)
def test_unknown_ids_are_404(http: httpx.Client, member: Person, method: str, path: str) -> None:
    body = assert_error(http.request(method, path, headers=member.headers), 404)
    assert body["error"] == "Record not found"


@pytest.mark.parametrize(
    "bad_id",
    ["abc", "-1", "1.5", "99999999999999999999999999", "0x10", "%00", "1e9", "' OR 1=1 --"],
)
def test_malformed_ids_are_404_not_500(http: httpx.Client, member: Person, bad_id: str) -> None:
    for path in (
        f"/api/v1/statuses/{bad_id}",
        f"/api/v1/accounts/{bad_id}",
        f"/api/v1/notifications/{bad_id}",
    ):
        assert_error(http.get(path, headers=member.headers), 404, 422)
    assert_error(http.post(f"/api/v1/accounts/{bad_id}/follow", headers=member.headers), 404, 422)


@pytest.mark.parametrize(
    "params",
    [
        {"max_id": "abc"},
        {"since_id": "-5"},
        {"min_id": "1.5"},
        {"limit": "lots"},
        {"limit": "99999999999999999999999"},
    ],
)
def test_bad_pagination_parameters_are_4xx_not_500(
    http: httpx.Client, member: Person, params: dict[str, str]
) -> None:
    response = http.get("/api/v1/timelines/home", params=params, headers=member.headers)
    if response.status_code == 200:  # Mastodon ignores some garbage; then it must be a list
        assert isinstance(response.json(), list)
    else:
        assert_error(response, 400, 422)


def test_missing_and_invalid_tokens_are_401(http: httpx.Client) -> None:
    assert_error(http.get("/api/v1/accounts/verify_credentials"), 401)
    bad = {"Authorization": "Bearer not-a-real-token"}
    assert_error(http.get("/api/v1/accounts/verify_credentials", headers=bad), 401)
    assert_error(http.post("/api/v1/statuses", data={"status": "hi"}, headers=bad), 401)


def test_update_credentials_with_one_bad_field_changes_nothing(
    http: httpx.Client, member: Person
) -> None:
    before = http.get("/api/v1/accounts/verify_credentials", headers=member.headers).json()
    response = http.patch(
        "/api/v1/accounts/update_credentials",
        json={"display_name": "Changed Name", "locked": "perhaps"},
        headers=member.headers,
    )
    assert_error(response, 422)
    after = http.get("/api/v1/accounts/verify_credentials", headers=member.headers).json()
    assert after["display_name"] == before["display_name"]
    assert after["locked"] == before["locked"]


def test_sign_up_refusals_are_422_with_details_and_create_nobody(
    http: httpx.Client, live_server: LiveServer, member: Person
) -> None:
    app = _app(http)
    token = http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "read write",
        },
    )
    assert token.status_code == 200, token.text
    app_token = {"Authorization": f"Bearer {token.json()['access_token']}"}
    base = {"password": "a long enough passphrase 42", "locale": "en", "agreement": "true"}
    cases = [
        (
            {**base, "username": "newbie_a", "email": "newbie_a@example.com", "agreement": "false"},
            "agreement",
        ),
        ({**base, "username": member.username, "email": "other@example.com"}, "username"),
        ({**base, "username": "newbie_b", "email": member.email}, "email"),
        ({**base, "username": "bad name!", "email": "newbie_c@example.com"}, "username"),
        ({**base, "username": "newbie_d", "email": "not-an-email"}, "email"),
        (
            {**base, "username": "newbie_e", "email": "newbie_e@example.com", "password": "x"},
            "password",
        ),
    ]
    before = snapshot(live_server)
    for form, field in cases:
        body = assert_error(http.post("/api/v1/accounts", data=form, headers=app_token), 422)
        assert field in body.get("details", {}), (field, body)
    assert snapshot(live_server) == before


def _app(http: httpx.Client) -> dict[str, Any]:
    response = http.post(
        "/api/v1/apps",
        data={
            "client_name": "bad input",
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "scopes": "read write",
        },
    )
    assert response.status_code == 200
    return dict(response.json())


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"client_name": ""},
        {"client_name": "x", "redirect_uris": "not a uri"},
        {"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "root"},
    ],
)
def test_bad_app_registrations_are_422(http: httpx.Client, form: dict[str, str]) -> None:
    assert_error(http.post("/api/v1/apps", data=form), 400, 422)
