"""The guard at the socket: a host is resolved, every address it resolves to is judged,
and the connection goes only to a checked address (loopback only when allowed).

The backends here wrap ``LoopbackOnlyBackend``: should a refusal ever break, the test fails
at the socket instead of sending a packet off this machine.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpcore
import pytest

from godwit.outbound.network import ForbiddenAddress, GuardedNetworkBackend, resolve_allowed
from tests.support.link_pages import LoopbackOnlyBackend, PageServer, serve_pages


@pytest.fixture
def site() -> Iterator[PageServer]:
    yield from serve_pages()


@pytest.mark.parametrize(
    ("host", "allow_loopback"),
    [("127.0.0.1", False), ("localhost", False), ("10.0.0.1", True), ("169.254.169.254", True),
     ("::1", False), ("::ffff:10.0.0.1", True), ("0.0.0.0", True), ("192.168.1.1", True)],  # noqa: S104
)  # fmt: skip
async def test_the_resolver_refuses_non_public_addresses(host: str, allow_loopback: bool) -> None:
    with pytest.raises(ForbiddenAddress, match="not a public address"):
        await resolve_allowed(host, 443, allow_loopback=allow_loopback)


async def test_the_resolver_allows_public_and_permitted_loopback_addresses() -> None:
    assert await resolve_allowed("93.184.215.14", 443, allow_loopback=False) == ["93.184.215.14"]
    assert await resolve_allowed("127.0.0.1", 443, allow_loopback=True) == ["127.0.0.1"]


async def test_a_name_resolving_to_loopback_is_refused_at_connection_time() -> None:
    # Host names are judged once resolved (here through the system resolver, /etc/hosts
    # included), by the backend itself, before any socket is opened.
    with pytest.raises(ForbiddenAddress, match="not a public address"):
        await resolve_allowed("localhost", 80, allow_loopback=False)
    assert await resolve_allowed("localhost", 80, allow_loopback=True)
    inner = LoopbackOnlyBackend()
    backend = GuardedNetworkBackend(allow_loopback=False, inner=inner)
    with pytest.raises(ForbiddenAddress):
        await backend.connect_tcp("localhost", 80)
    with pytest.raises(ForbiddenAddress):
        await backend.connect_unix_socket("/run/postgresql/.s.PGSQL.5432")
    assert inner.connected == []


async def test_an_allowed_name_connects_to_the_address_that_was_checked(site: PageServer) -> None:
    inner = LoopbackOnlyBackend()
    backend = GuardedNetworkBackend(allow_loopback=True, inner=inner)
    stream = await backend.connect_tcp("localhost", site.port, timeout=5)
    await stream.aclose()
    # The inner backend was handed an address, never the name to resolve a second time.
    assert inner.connected
    assert all(address in ("127.0.0.1", "::1") for address in inner.connected)


async def test_an_unresolvable_name_is_a_connect_error() -> None:
    backend = GuardedNetworkBackend(allow_loopback=False, inner=LoopbackOnlyBackend())
    with pytest.raises(httpcore.ConnectError, match="could not resolve"):
        await backend.connect_tcp("no-such-host.invalid", 80)
