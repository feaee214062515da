"""Who is calling: the client address behind trusted proxies, and the key limits count on.

Pure functions shared by the API and the HTML adapters (which may not import each other).
"""

from __future__ import annotations

import ipaddress

# Mastodon (Rack::Attack) counts an IPv6 client by its /64: one host usually holds a whole
# /64, so counting single addresses would let it dodge every per-IP limit.
IPV6_LIMIT_PREFIX = 64
UNKNOWN = "unknown"


def forwarded_client(forwarded_for: str, peer: str | None, trusted_hops: int) -> str:
    """The client address, trusting only the last ``trusted_hops`` X-Forwarded-For entries.

    Each trusted proxy appends the address it received the request from, so the entry
    ``trusted_hops`` from the end is the one the outermost trusted proxy saw; anything
    before it is whatever the client chose to send. An entry that is not an IP address (a
    chain shorter than configured lets the client choose it) is not believed: it would
    become a limit key and the stored sign-up address.
    """
    if trusted_hops > 0:
        hops = [part.strip() for part in forwarded_for.split(",")]
        hops = [part for part in hops if part]
        if len(hops) >= trusted_hops:
            chosen = _address(hops[-trusted_hops])
            if chosen is not None:
                return chosen
    return peer or UNKNOWN


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def limit_subject(address: str) -> str:
    """The key per-IP limits count on: an IPv4 address as it is, an IPv6 one by its /64."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address  # not an address (a test client, a proxy's odd entry): as given
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        network = ipaddress.IPv6Network((parsed, IPV6_LIMIT_PREFIX), strict=False)
        return str(network)
    return str(parsed)
