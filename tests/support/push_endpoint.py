"""A local Web Push endpoint for tests: a real HTTP server on loopback that records what
push services would receive, answers with the statuses a test queues, and the client side
of the cryptography (a subscription's keys; VAPID checked with `cryptography` alone, not
with the library the server signs with)."""

from __future__ import annotations

import base64
import json
import os
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes


@dataclass
class ClientKeys:
    """What a browser or app holds for one subscription."""

    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @classmethod
    def generate(cls) -> ClientKeys:
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def p256dh(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)

    @property
    def auth_b64(self) -> str:
        return b64url(self.auth)


def verify_vapid_jwt(token: str, public_key_b64url: str) -> dict[str, Any]:
    """Check an ES256 JWT against the instance's public key; its claims."""
    header, claims, signature = token.split(".")
    assert json.loads(unb64url(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64url(signature)
    assert len(raw) == 64
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key_b64url))
    key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if bad
    decoded: dict[str, Any] = json.loads(unb64url(claims))
    return decoded


@dataclass
class PushEndpoint:
    """Records every POST; answers each with the next queued status (201 when none)."""

    server: ThreadingHTTPServer
    received: queue.Queue[Received] = field(default_factory=queue.Queue)
    statuses: queue.Queue[int] = field(default_factory=queue.Queue)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/push/device-1"

    @property
    def origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(self, *statuses: int) -> None:
        for status in statuses:
            self.statuses.put(status)

    def next(self, timeout: float = 15.0) -> Received:
        return self.received.get(timeout=timeout)


def _handler(endpoint_ref: list[PushEndpoint]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            endpoint = endpoint_ref[0]
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            endpoint.received.put(Received(self.path, headers, body))
            try:
                status = endpoint.statuses.get_nowait()
            except queue.Empty:
                status = 201
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def start_push_endpoint() -> Iterator[PushEndpoint]:
    """For a fixture: ``yield from start_push_endpoint()``."""
    ref: list[PushEndpoint] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(ref))
    endpoint = PushEndpoint(server)
    ref.append(endpoint)
    thread = threading.Thread(target=server.serve_forever, name="push-endpoint", daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
