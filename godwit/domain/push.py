"""Web Push: subscriptions, their alerts and policy, and the rules for endpoints and keys.

A member's app subscribes one push endpoint per access token (Mastodon's rule). The server
encrypts each notification to the subscription's P-256 key and auth secret (RFC 8291) and
signs a VAPID token (RFC 8292) with the instance's key; the delivery adapter does the
cryptography and HTTP, this module only holds the rules.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ipaddress
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from godwit.domain.errors import Invalid
from godwit.domain.outbound import address_allowed, is_loopback_name

# The alert types a subscription may ask for (Mastodon 4.5 added quote and quoted_update).
ALERT_TYPES = (
    "mention", "status", "reblog", "follow", "follow_request", "favourite", "poll",
    "update", "admin.sign_up", "admin.report", "quote", "quoted_update",
)  # fmt: skip
POLICIES = ("all", "followed", "follower", "none")
DEFAULT_POLICY = "all"

MAX_ENDPOINT_LENGTH = 2048
P256_POINT_LENGTH = 65  # an uncompressed point: 0x04 || X || Y
AUTH_SECRET_LENGTH = 16  # RFC 8291 section 3.2

PUSH_JOB = "push.deliver"
TTL_SECONDS = 48 * 3600  # how long the push service keeps an undelivered message (Mastodon's)
URGENCY = "normal"
VAPID_TOKEN_SECONDS = 12 * 3600  # a VAPID JWT's lifetime (RFC 8292 allows up to 24 h)

# NIST P-256 (secp256r1): y^2 = x^3 - 3x + b over GF(p).
_P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
_B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B


@dataclass(frozen=True, slots=True)
class PushSubscription:
    id: int
    token_id: int
    user_id: int
    account_id: int
    endpoint: str
    p256dh: str  # base64url, unpadded: the user agent's public key
    auth: str  # base64url, unpadded: the 16-byte auth secret
    standard: bool  # RFC 8291 aes128gcm; False: the legacy "aesgcm" draft Mastodon defaults to
    alerts: frozenset[str]
    policy: str
    created_at: dt.datetime
    # The access token, sealed with the server's secret (never stored in the clear, 0008).
    sealed_token: str = field(default="", repr=False)


@dataclass(frozen=True, slots=True)
class SubscriptionData:
    """What ``data[alerts]`` and ``data[policy]`` ask for."""

    alerts: frozenset[str] = frozenset()
    policy: str = DEFAULT_POLICY


@dataclass(frozen=True, slots=True)
class NewSubscription:
    endpoint: str
    p256dh: str
    auth: str
    standard: bool
    data: SubscriptionData


@dataclass(frozen=True, slots=True)
class VapidKeys:
    """The instance's VAPID key pair: the raw P-256 private scalar (32 bytes) and the
    uncompressed public point (65 bytes), both base64url without padding."""

    public_key: str
    private_key: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class PushMessage:
    """One encrypted delivery to make: everything the sender adapter needs."""

    # The endpoint is a capability URL and the payload holds the member's access token: none
    # of them may end up in a log line or a traceback's repr.
    endpoint: str = field(repr=False)
    p256dh: str = field(repr=False)
    auth: str = field(repr=False)
    standard: bool
    payload: bytes = field(repr=False)
    vapid: VapidKeys
    subject: str  # the VAPID "sub" claim: mailto: the operators, or the server's URL
    ttl: int = TTL_SECONDS
    urgency: str = URGENCY


class PushOutcome(StrEnum):
    DELIVERED = "delivered"
    GONE = "gone"  # 404/410: the subscription expired; delete it
    RETRY = "retry"  # 408, 429, 5xx or a network failure: try again later
    REJECTED = "rejected"  # any other answer, or a forbidden address: give up this message


@dataclass(frozen=True, slots=True)
class PushResult:
    outcome: PushOutcome
    status: int | None = None
    detail: str = ""


def outcome_for_status(status: int) -> PushOutcome:
    if 200 <= status < 300:
        return PushOutcome.DELIVERED
    if status in (404, 410):
        return PushOutcome.GONE
    if status in (408, 429) or status >= 500:
        return PushOutcome.RETRY
    return PushOutcome.REJECTED


def policy_allows(
    policy: str, *, recipient_follows_sender: bool, sender_follows_recipient: bool
) -> bool:
    if policy == "all":
        return True
    if policy == "followed":
        return recipient_follows_sender
    if policy == "follower":
        return sender_follows_recipient
    return False  # "none", or anything unknown


# --- validation of what an app sends ----------------------------------------------------


def _invalid(name: str, description: str) -> Invalid:
    return Invalid(
        f"Validation failed: {name} {description}", {name: [("ERR_INVALID", description)]}
    )


def is_loopback_host(host: str) -> bool:
    if is_loopback_name(host):
        return True
    try:
        return ipaddress.ip_address(host.rstrip(".")).is_loopback
    except ValueError:
        return False


def validate_endpoint(endpoint: str, *, allow_loopback: bool) -> str:
    """An absolute https URL whose host is a name or a public address. With
    ``allow_loopback``, loopback hosts are accepted too, and plain http only for them."""
    name = "endpoint"
    if not endpoint.strip():
        raise Invalid(
            "Validation failed: endpoint can't be blank", {name: [("ERR_BLANK", "can't be blank")]}
        )
    if len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise _invalid(name, f"is too long (maximum is {MAX_ENDPOINT_LENGTH} characters)")
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in endpoint):
        raise _invalid(name, "is not a valid URL")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        raise _invalid(name, "is not a valid URL") from None
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme not in ("https", "http") or not host:
        raise _invalid(name, "is not a valid URL")
    if parts.username is not None or parts.password is not None:
        raise _invalid(name, "must not contain credentials")
    if port == 0:
        raise _invalid(name, "is not a valid URL")
    loopback = is_loopback_host(host)
    if loopback and not allow_loopback:
        raise _invalid(name, "must not point to this server's own network")
    if parts.scheme == "http" and not (loopback and allow_loopback):
        raise _invalid(name, "must use https")
    if not loopback and _is_ip_literal(host) and not address_allowed(host, allow_loopback=False):
        raise _invalid(name, "must not point to a private or reserved address")
    return endpoint


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def decode_base64(value: str) -> bytes | None:
    """Standard or URL-safe base64, padded or not (apps send both); None if malformed."""
    text = value.strip().replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def encode_base64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def is_p256_point(raw: bytes) -> bool:
    """An uncompressed point on the P-256 curve (not the identity, coordinates in range)."""
    if len(raw) != P256_POINT_LENGTH or raw[0] != 0x04:
        return False
    x = int.from_bytes(raw[1:33], "big")
    y = int.from_bytes(raw[33:], "big")
    if x >= _P or y >= _P:
        return False
    return (y * y - (x * x * x - 3 * x + _B)) % _P == 0


def validate_p256dh(value: str) -> str:
    raw = decode_base64(value)
    if raw is None or not is_p256_point(raw):
        raise _invalid(
            "keys.p256dh", "must be a base64-encoded uncompressed P-256 public key (65 bytes)"
        )
    return encode_base64url(raw)


def validate_auth(value: str) -> str:
    raw = decode_base64(value)
    if raw is None or len(raw) != AUTH_SECRET_LENGTH:
        raise _invalid("keys.auth", f"must be {AUTH_SECRET_LENGTH} base64-encoded bytes")
    return encode_base64url(raw)


def validate_policy(value: str) -> str:
    if value not in POLICIES:
        raise _invalid("policy", f"must be one of {', '.join(POLICIES)}")
    return value


def endpoint_origin(endpoint: str) -> str:
    """The VAPID audience: scheme, host and port (when not the default) of the endpoint."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default_port = 443 if parts.scheme == "https" else 80
    port = f":{parts.port}" if parts.port not in (None, default_port) else ""
    return f"{parts.scheme}://{host}{port}"
