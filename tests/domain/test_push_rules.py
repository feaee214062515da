"""The pure Web Push rules: endpoints, keys, policies, outcomes and the payload text."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from godwit.domain.accounts import Account
from godwit.domain.errors import Invalid
from godwit.domain.push import (
    PushMessage,
    PushOutcome,
    VapidKeys,
    endpoint_origin,
    is_p256_point,
    outcome_for_status,
    policy_allows,
    validate_auth,
    validate_endpoint,
    validate_p256dh,
)
from godwit.domain.push_payload import body_for, title_for, truncate
from tests.support.push_endpoint import ClientKeys, unb64url

NOW = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "url",
    ["https://fcm.googleapis.com/fcm/send/abc:def", "https://web.push.apple.com/QO-1?x=y",
     "https://push.example.net:8443/a", "https://93.184.215.14/x"],
)  # fmt: skip
def test_public_https_endpoints_are_accepted(url: str) -> None:
    assert validate_endpoint(url, allow_loopback=False) == url


@pytest.mark.parametrize(
    "url",
    ["http://push.example.net/x", "https://127.0.0.1/x", "https://localhost/x",
     "https://api.localhost/x", "https://[::1]/x", "https://10.0.0.8/x", "https://192.168.0.1/x",
     "https://[fd00::1]/x", "https://100.64.0.1/x", "https://0.0.0.0/x", "https:///x",
     "https://user@push.example.net/x", "javascript:alert(1)", "https://push.example.net:0/x",
     "https://push.example.net:99999/x", "https://push.example.net/a b", "",
     "https://[2002:a00:1::]/x", "https://[64:ff9b::a9fe:a9fe]/x"],  # 6to4, NAT64 of private
)  # fmt: skip
def test_other_endpoints_are_refused(url: str) -> None:
    with pytest.raises(Invalid):
        validate_endpoint(url, allow_loopback=False)


def test_loopback_only_when_allowed_and_http_only_there() -> None:
    assert validate_endpoint("http://127.0.0.1:9000/x", allow_loopback=True)
    assert validate_endpoint("http://localhost:9000/x", allow_loopback=True)
    assert validate_endpoint("https://[::1]:9000/x", allow_loopback=True)
    with pytest.raises(Invalid):
        validate_endpoint("http://push.example.net/x", allow_loopback=True)
    with pytest.raises(Invalid):
        validate_endpoint("https://10.0.0.1/x", allow_loopback=True)


def test_keys_are_checked_and_normalised() -> None:
    keys = ClientKeys.generate()
    raw = unb64url(keys.p256dh)
    assert is_p256_point(raw)
    assert validate_p256dh(base64.b64encode(raw).decode()) == keys.p256dh
    off_curve = raw[:-1] + bytes([raw[-1] ^ 1])
    assert not is_p256_point(off_curve)
    with pytest.raises(Invalid):
        validate_p256dh(base64.b64encode(off_curve).decode())
    assert validate_auth(base64.b64encode(keys.auth).decode()) == keys.auth_b64
    with pytest.raises(Invalid):
        validate_auth(base64.b64encode(b"fifteen bytes!!").decode())


def test_policies() -> None:
    def allows(policy: str, follows: bool, follower: bool) -> bool:
        return policy_allows(
            policy, recipient_follows_sender=follows, sender_follows_recipient=follower
        )

    assert allows("all", False, False)
    assert not allows("none", True, True)
    assert allows("followed", True, False)
    assert not allows("followed", False, True)
    assert allows("follower", False, True)
    assert not allows("follower", True, False)
    assert not allows("bogus", True, True)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(201, PushOutcome.DELIVERED), (200, PushOutcome.DELIVERED), (404, PushOutcome.GONE),
     (410, PushOutcome.GONE), (429, PushOutcome.RETRY), (408, PushOutcome.RETRY),
     (500, PushOutcome.RETRY), (503, PushOutcome.RETRY), (400, PushOutcome.REJECTED),
     (401, PushOutcome.REJECTED), (413, PushOutcome.REJECTED), (301, PushOutcome.REJECTED)],
)  # fmt: skip
def test_outcomes(status: int, outcome: PushOutcome) -> None:
    assert outcome_for_status(status) is outcome


def test_origin() -> None:
    assert endpoint_origin("https://a.example/x?y") == "https://a.example"
    assert endpoint_origin("https://a.example:443/x") == "https://a.example"
    assert endpoint_origin("https://a.example:8443/x") == "https://a.example:8443"
    assert endpoint_origin("http://[::1]:9/x") == "http://[::1]:9"


def _account(display_name: str, note: str = "") -> Account:
    return Account(
        id=1, username="bob", domain="", display_name=display_name, note=note, note_source="",
        uri="", url="", locked=False, bot=False, discoverable=True, indexable=True,
        created_at=NOW,
    )  # fmt: skip


def test_payload_text() -> None:
    assert title_for("favourite", _account("Bob B")) == "Bob B favorited your post"
    assert title_for("follow", _account("  ")) == "bob is now following you"
    assert title_for("admin.sign_up", _account("Bob")) == "Bob signed up"
    assert truncate("x" * 140) == "x" * 140
    assert truncate("x" * 141) == "x" * 137 + "..."
    bio = _account("Bob", note="<p>Birds &amp; <b>mud</b></p><p>flats</p>")
    assert body_for(None, bio) == "Birds & mud flats"


def test_a_push_message_never_shows_its_secrets_in_its_repr() -> None:
    keys = VapidKeys(public_key="public-part", private_key="private-part")
    secret = PushMessage(
        endpoint="https://push.example/capability-token",
        p256dh="p256dh-key",
        auth="auth-secret",
        standard=True,
        payload=b'{"access_token": "the-token"}',
        vapid=keys,
        subject="mailto:ops@example.org",
    )
    shown = repr(secret)
    for hidden in ("capability-token", "p256dh-key", "auth-secret", "the-token", "private-part"):
        assert hidden not in shown
