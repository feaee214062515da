"""The PushSender adapter: encrypt, sign and POST one message with httpx."""

from __future__ import annotations

import asyncio
import logging

import httpx

from godwit import __version__
from godwit.domain.push import PushMessage, PushOutcome, PushResult, VapidKeys, outcome_for_status
from godwit.outbound.client import guarded_client
from godwit.outbound.network import ForbiddenAddress
from godwit.push.crypto import PushCryptoError, encrypt, generate_vapid_keys

log = logging.getLogger("godwit.push")

TIMEOUT_SECONDS = 15.0
CONNECT_TIMEOUT_SECONDS = 5.0
SEND_DEADLINE_SECONDS = 30.0  # the whole request, however slowly the endpoint answers
MAX_DETAIL_BYTES = 512  # of the push service's answer, kept in the job's error
LIMITS = httpx.Limits(max_connections=50, max_keepalive_connections=20, keepalive_expiry=30.0)


class WebPushSender:
    """Owns one httpx client (a pool of connections to push services) for the process. It
    connects to public addresses only (``godwit.outbound``) and never follows redirects."""

    def __init__(self, *, allow_loopback: bool = False, timeout: float = TIMEOUT_SECONDS) -> None:
        self._client = guarded_client(
            allow_loopback=allow_loopback,
            limits=LIMITS,
            timeout=httpx.Timeout(timeout, connect=CONNECT_TIMEOUT_SECONDS),
            user_agent=f"Godwit/{__version__} (Web Push)",
        )

    def new_vapid_keys(self) -> VapidKeys:
        return generate_vapid_keys()

    async def send(self, message: PushMessage) -> PushResult:
        try:
            body, headers = encrypt(message)
        except PushCryptoError as error:
            return PushResult(PushOutcome.REJECTED, detail=str(error))
        try:
            # A whole-request deadline: httpx's timeouts are per read, and an endpoint that
            # trickles a byte at a time must not hold a job slot and a connection for hours.
            async with (
                asyncio.timeout(SEND_DEADLINE_SECONDS),
                self._client.stream(
                    "POST", message.endpoint, content=body, headers=headers
                ) as response,
            ):
                detail = await _read_some(response)
        except TimeoutError:
            return PushResult(PushOutcome.RETRY, detail="no complete answer in time")
        except ForbiddenAddress as error:
            log.warning("push to %s refused: %s", message.endpoint, error)
            return PushResult(PushOutcome.REJECTED, detail=str(error))
        except (httpx.InvalidURL, UnicodeError, ValueError) as error:  # e.g. a bad IDNA name
            return PushResult(PushOutcome.REJECTED, detail=f"invalid endpoint: {error}")
        except httpx.HTTPError as error:  # connection refused, timeouts, broken streams
            return PushResult(PushOutcome.RETRY, detail=f"{type(error).__name__}: {error}")
        return PushResult(outcome_for_status(response.status_code), response.status_code, detail)

    async def close(self) -> None:
        await self._client.aclose()


async def _read_some(response: httpx.Response) -> str:
    """The start of the answer, for the logs; a huge or endless body is not read, and it is
    read raw (never decompressed: a small gzip bomb would decode without limit)."""
    received = b""
    async for chunk in response.aiter_raw():
        received += chunk
        if len(received) >= MAX_DETAIL_BYTES:
            break
    return received[:MAX_DETAIL_BYTES].decode("utf-8", errors="replace")
