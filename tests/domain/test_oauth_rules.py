"""Pure OAuth rules: redirect URIs, scopes, PKCE S256, redirect building, login throttling."""

from __future__ import annotations

import pytest

from godwit.domain.errors import Invalid
from godwit.domain.oauth import (
    OOB_REDIRECT,
    parse_app_scopes,
    parse_redirect_uris,
    redirect_uri_problem,
    s256_challenge,
    scope_string,
    select_scopes,
    verify_pkce,
    with_query,
)
from godwit.services.login_throttle import LoginThrottle


@pytest.mark.parametrize(
    "uri",
    [
        OOB_REDIRECT,
        "https://app.example/callback",
        "http://127.0.0.1:4000/cb?x=1",
        "com.keylesspalace.tusky://oauth",
        "io.elk.app:/callback",
    ],
)
def test_acceptable_redirect_uris(uri: str) -> None:
    assert redirect_uri_problem(uri) is None


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(1)",
        "JavaScript://x%0aalert(1)",
        "data:text/html,hi",
        "https://app.example/cb#fragment",
        "/relative/path",
        "no-scheme",
        "https:///no-host",
        "https://app.example/a b",
        "1http://x.example/",
    ],
)
def test_refused_redirect_uris(uri: str) -> None:
    assert redirect_uri_problem(uri) is not None


def test_parse_redirect_uris_splits_strings_and_lists() -> None:
    assert parse_redirect_uris("https://a.example/1\nhttps://a.example/2 https://a.example/1") == (
        "https://a.example/1",
        "https://a.example/2",
    )
    assert parse_redirect_uris(["https://a.example/1", OOB_REDIRECT]) == (
        "https://a.example/1",
        OOB_REDIRECT,
    )
    with pytest.raises(Invalid) as blank:
        parse_redirect_uris("  ")
    assert "redirect_uris" in blank.value.details


def test_app_scopes_default_to_read_and_refuse_unknown() -> None:
    assert parse_app_scopes(None) == frozenset({"read"})
    assert parse_app_scopes("read+write") == frozenset({"read", "write"})
    with pytest.raises(Invalid):
        parse_app_scopes("read sudo")


def test_select_scopes_respects_the_hierarchy() -> None:
    registered = frozenset({"read", "write"})
    assert select_scopes(None, registered) == frozenset({"read"})
    assert select_scopes("read:accounts write:statuses", registered) == frozenset(
        {"read:accounts", "write:statuses"}
    )
    assert select_scopes("follow", registered) is None  # not registered
    assert select_scopes("push", registered) is None
    assert select_scopes("read nonsense", registered) is None
    assert select_scopes("write", frozenset({"write:statuses"})) is None  # wider than allowed


def test_scope_string_uses_mastodon_order() -> None:
    assert (
        scope_string({"push", "read:accounts", "write", "read"}) == "read write read:accounts push"
    )


def test_pkce_s256() -> None:
    # RFC 7636 appendix B
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert s256_challenge(verifier) == challenge
    assert verify_pkce(verifier, challenge)
    assert not verify_pkce(verifier[:-1] + "l", challenge)
    assert not verify_pkce(None, challenge)
    assert not verify_pkce("short", challenge)
    assert verify_pkce(None, None)  # no challenge was set: nothing to prove


def test_with_query_appends_or_extends() -> None:
    assert with_query("https://a.example/cb", {"code": "c", "state": "a b"}) == (
        "https://a.example/cb?code=c&state=a+b"
    )
    assert with_query("app://cb?x=1", {"code": "c"}) == "app://cb?x=1&code=c"


def test_login_throttle_counts_per_login_and_per_ip() -> None:
    now = [0.0]
    throttle = LoginThrottle(per_login=2, per_ip=3, window_seconds=60, clock=lambda: now[0])
    throttle.record_failure("1.1.1.1", "Alice")
    assert throttle.retry_after("1.1.1.1", "alice") is None
    throttle.record_failure("2.2.2.2", "ALICE")
    assert throttle.retry_after("3.3.3.3", "alice") is not None  # per login, any IP
    assert throttle.retry_after("1.1.1.1", "bob") is None
    throttle.record_failure("1.1.1.1", "carol")
    throttle.record_failure("1.1.1.1", "dave")
    assert throttle.retry_after("1.1.1.1", "erin") is not None  # per IP, any login
    now[0] = 61.0
    assert throttle.retry_after("1.1.1.1", "alice") is None  # the window passed


def test_login_throttle_success_clears_the_login() -> None:
    throttle = LoginThrottle(per_login=1, per_ip=10)
    throttle.record_failure("1.1.1.1", "alice")
    assert throttle.retry_after("1.1.1.1", "alice") is not None
    throttle.record_success("alice")
    assert throttle.retry_after("1.1.1.1", "alice") is None
