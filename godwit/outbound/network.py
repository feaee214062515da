"""Connections to public addresses only: the SSRF defence at the socket.

A push endpoint or a link in a post is a URL anyone chose, so requesting it must never
reach the server's own network. The check happens where the connection is made: the host
name is resolved, every address it resolves to must be allowed
(``godwit.domain.outbound.address_allowed``; loopback only when the caller's setting says
so), and the socket connects to one of those checked addresses, never to a name resolved a
second time (so DNS rebinding between check and connect cannot slip through). A name that
resolves elsewhere later is checked again on the next connection. TLS still verifies the
certificate against the host name.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable

import httpcore

from godwit.domain.outbound import address_allowed

RESOLVE_TIMEOUT_SECONDS = 5.0


class ForbiddenAddress(Exception):
    """The host resolves to an address the server must not connect to. Not an httpx
    error: it passes through httpx unchanged, for the caller to tell apart from network
    failures."""


async def resolve_allowed(host: str, port: int, *, allow_loopback: bool) -> list[str]:
    """The host's addresses, if every one of them may be connected to."""
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT_SECONDS):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError) as error:
        raise httpcore.ConnectError(f"could not resolve {host}: {error}") from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    refused = [a for a in addresses if not address_allowed(a, allow_loopback=allow_loopback)]
    if refused or not addresses:
        shown = refused[0] if refused else "nothing"
        raise ForbiddenAddress(f"{host} resolves to {shown}, which is not a public address")
    return addresses


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to checked addresses. ``inner`` is the
    backend that really connects (tests pass one that refuses anything but loopback)."""

    def __init__(
        self, *, allow_loopback: bool, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self.allow_loopback = allow_loopback
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve_allowed(host, port, allow_loopback=self.allow_loopback)
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise ForbiddenAddress("outbound requests never use unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
