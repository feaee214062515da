"""The httpx client for outbound requests: every connection goes through the guarded
network backend (network.py), redirects are never followed by httpx (a caller that
follows them does it by hand, checking each target), and no proxy or certificate setting
is taken from the environment."""

from __future__ import annotations

import httpcore
import httpx

from godwit.outbound.network import GuardedNetworkBackend


def guarded_client(
    *,
    allow_loopback: bool,
    limits: httpx.Limits,
    timeout: httpx.Timeout,
    user_agent: str,
    network_backend: httpcore.AsyncNetworkBackend | None = None,
) -> httpx.AsyncClient:
    """One pooled client for a process; the owner closes it (``aclose``). Connections
    reach only public addresses, and loopback when ``allow_loopback`` (tests, local
    development). ``network_backend`` is the one that really connects, under the guard."""
    backend = GuardedNetworkBackend(allow_loopback=allow_loopback, inner=network_backend)
    return httpx.AsyncClient(
        transport=guarded_transport(backend, limits),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": user_agent},
    )


def guarded_transport(
    backend: GuardedNetworkBackend, limits: httpx.Limits
) -> httpx.AsyncHTTPTransport:
    """httpx's transport on the guarded backend.

    httpx 0.28 has no public parameter for a network backend (encode/httpx#3749 proposes
    one), so the connection pool the transport builds is replaced by an identical one on
    ours. This is the only place that touches httpx's private ``_pool``. It fails closed: if
    httpx stops keeping its pool there, this raises rather than return an unguarded
    transport, and tests/outbound/test_client.py fails on such an upgrade.
    """
    transport = httpx.AsyncHTTPTransport(trust_env=False, limits=limits)
    if not isinstance(getattr(transport, "_pool", None), httpcore.AsyncConnectionPool):
        raise RuntimeError(
            "httpx.AsyncHTTPTransport no longer keeps an httpcore.AsyncConnectionPool in "
            "_pool: the SSRF guard cannot be installed (see godwit/outbound/client.py)"
        )
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=backend,
    )
    return transport
