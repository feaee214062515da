"""The WebPushSender adapter against a real endpoint on loopback: delivery, the address
guard at connection time (no SSRF; the guard itself is tested in tests/outbound), and the
outcomes it reports."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import replace

import http_ece
import pytest

from godwit.domain.push import PushMessage, PushOutcome
from godwit.push import sender as sender_module
from godwit.push.sender import WebPushSender
from tests.support.live_server import free_port
from tests.support.push_endpoint import ClientKeys, PushEndpoint, start_push_endpoint


@pytest.fixture
def endpoint() -> Iterator[PushEndpoint]:
    yield from start_push_endpoint()


def message(sender: WebPushSender, url: str, keys: ClientKeys) -> PushMessage:
    return PushMessage(
        endpoint=url,
        p256dh=keys.p256dh,
        auth=keys.auth_b64,
        standard=True,
        payload=json.dumps({"hello": "godwit"}).encode(),
        vapid=sender.new_vapid_keys(),
        subject="mailto:ops@example.org",
    )


async def test_delivers_to_loopback_only_when_allowed(endpoint: PushEndpoint) -> None:
    keys = ClientKeys.generate()
    guarded = WebPushSender(allow_loopback=False)
    try:
        refused = await guarded.send(message(guarded, endpoint.url, keys))
    finally:
        await guarded.close()
    assert refused.outcome is PushOutcome.REJECTED
    assert "not a public address" in refused.detail
    assert endpoint.received.empty()  # the connection was never made

    allowed = WebPushSender(allow_loopback=True)
    try:
        first = await allowed.send(message(allowed, endpoint.url, keys))
        endpoint.answer(410)
        second = await allowed.send(message(allowed, endpoint.url, keys))
    finally:
        await allowed.close()
    assert (first.outcome, first.status) == (PushOutcome.DELIVERED, 201)
    assert (second.outcome, second.status) == (PushOutcome.GONE, 410)
    received = endpoint.next(timeout=5)
    plain = http_ece.decrypt(
        received.body, private_key=keys.private_key, auth_secret=keys.auth, version="aes128gcm"
    )
    assert json.loads(plain) == {"hello": "godwit"}
    assert received.headers["user-agent"].startswith("Godwit/")


async def test_a_closed_port_is_a_retry() -> None:
    sender = WebPushSender(allow_loopback=True)
    try:
        result = await sender.send(
            message(sender, f"http://127.0.0.1:{free_port()}/x", ClientKeys.generate())
        )
    finally:
        await sender.close()
    assert result.outcome is PushOutcome.RETRY


async def test_broken_subscription_keys_are_rejected() -> None:
    sender = WebPushSender(allow_loopback=True)
    try:
        broken = replace(
            message(sender, "http://127.0.0.1:9/x", ClientKeys.generate()), p256dh="BAAA"
        )
        result = await sender.send(broken)
    finally:
        await sender.close()
    assert result.outcome is PushOutcome.REJECTED


async def test_an_endpoint_that_never_finishes_answering_is_a_retry_at_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # It reads the request and trickles its status line a byte at a time, each byte well
    # within the per-read timeout: only the whole-request deadline ends the wait.
    async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        with contextlib.suppress(ConnectionError):
            for byte in b"HTTP/1.1 201 Created\r\n":
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.2)
        writer.close()

    server = await asyncio.start_server(trickle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    monkeypatch.setattr(sender_module, "SEND_DEADLINE_SECONDS", 1.0)
    sender = WebPushSender(allow_loopback=True)
    started = time.monotonic()
    try:
        result = await sender.send(
            message(sender, f"http://127.0.0.1:{port}/push", ClientKeys.generate())
        )
    finally:
        await sender.close()
        server.close()
    assert result.outcome is PushOutcome.RETRY
    assert "in time" in result.detail
    assert time.monotonic() - started < 4.0
