"""The guarded httpx client against a real site on loopback: requests go through the
guarded backend (so the swap of httpx's private pool really took effect), refusals pass
through httpx unchanged, and redirects are left to the caller.

These are the tests that fail loudly when an httpx upgrade breaks ``guarded_transport``.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from godwit.outbound.client import guarded_client, guarded_transport
from godwit.outbound.network import ForbiddenAddress, GuardedNetworkBackend
from tests.support.link_pages import LoopbackOnlyBackend, PageServer, serve_pages

LIMITS = httpx.Limits(max_connections=2, max_keepalive_connections=1, keepalive_expiry=5.0)
TIMEOUT = httpx.Timeout(5.0, connect=2.0)


@pytest.fixture
def site() -> Iterator[PageServer]:
    yield from serve_pages()


def make_client(*, allow_loopback: bool, inner: LoopbackOnlyBackend) -> httpx.AsyncClient:
    return guarded_client(
        allow_loopback=allow_loopback,
        limits=LIMITS,
        timeout=TIMEOUT,
        user_agent="Godwit/test (outbound)",
        network_backend=inner,
    )


async def test_every_connection_goes_through_the_guard(site: PageServer) -> None:
    inner = LoopbackOnlyBackend()
    async with make_client(allow_loopback=True, inner=inner) as client:
        response = await client.get(site.url("/article", host="localhost"))
    assert response.status_code == 200
    # Had httpx kept its own pool, the request would have connected without our backend.
    assert inner.connected
    assert site.user_agents == ["Godwit/test (outbound)"]


async def test_a_refused_address_is_never_connected_and_passes_through_httpx(
    site: PageServer,
) -> None:
    inner = LoopbackOnlyBackend()
    async with make_client(allow_loopback=False, inner=inner) as client:
        for host in ("127.0.0.1", "localhost", "[::1]"):
            with pytest.raises(ForbiddenAddress, match="not a public address"):
                await client.get(site.url("/article", host=host))
    assert inner.connected == []
    assert site.hits["/article"] == 0


async def test_redirects_are_not_followed(site: PageServer) -> None:
    async with make_client(allow_loopback=True, inner=LoopbackOnlyBackend()) as client:
        response = await client.get(site.url("/to-metadata"))
    assert response.status_code == 302
    assert response.headers["location"].startswith("http://169.254.169.254/")


async def test_proxy_settings_in_the_environment_are_ignored(
    site: PageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy would connect on our behalf, out of the guard's sight (this one is a closed
    # port on loopback, so a regression fails here without leaving the machine).
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    inner = LoopbackOnlyBackend()
    async with make_client(allow_loopback=True, inner=inner) as client:
        response = await client.get(site.url("/article"))
    assert response.status_code == 200
    assert inner.connected == ["127.0.0.1"]


def test_the_transport_fails_closed_if_httpx_moves_its_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What an httpx release that renames the private attribute would look like: the guard
    # must refuse to build a transport rather than hand back an unguarded one.
    class Renamed(httpx.AsyncHTTPTransport):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._connections = self.__dict__.pop("_pool")

    monkeypatch.setattr(httpx, "AsyncHTTPTransport", Renamed)
    with pytest.raises(RuntimeError, match="SSRF guard cannot be installed"):
        guarded_transport(GuardedNetworkBackend(allow_loopback=False), LIMITS)


def test_httpx_still_has_no_public_network_backend_parameter() -> None:
    # When this fails, httpx takes a network backend publicly (encode/httpx#3749): pass it
    # in guarded_transport and drop the replacement of the private pool.
    assert "network_backend" not in inspect.signature(httpx.AsyncHTTPTransport).parameters
