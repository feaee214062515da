"""Where the server may connect when it makes a request a user chose (a Web Push endpoint,
a link to preview): the rules against server-side request forgery (SSRF).

Pure rules, one place for every caller: ``godwit.outbound`` applies them to each address
a host name resolves to, right before connecting; ``godwit.domain.push`` and
``godwit.domain.links`` apply them to literal addresses in URLs.
"""

from __future__ import annotations

import ipaddress

# NAT64 addresses carry an IPv4 address that is what really gets reached.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def address_allowed(address: str, *, allow_loopback: bool) -> bool:
    """Whether the server may connect to this IP address: public unicast only, so no
    loopback (unless allowed, for tests), private, link-local (cloud metadata at
    169.254.169.254), multicast, reserved or unspecified address, also when one of those
    hides in an IPv4-mapped, 6to4, Teredo or NAT64 IPv6 address. Anything that is not an
    IP address (a zone index aside) is refused."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded:  # the IPv4 addresses inside are what the packets reach
            return all(_public(inner, allow_loopback) for inner in embedded)
    return _public(ip, allow_loopback)


def is_loopback_name(host: str) -> bool:
    """``localhost`` and names under it (RFC 6761), in any case, with or without the final
    dot: refused without asking DNS, since they are this machine by definition."""
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip.sixtofour is not None:
        return [ip.sixtofour]
    if ip.teredo is not None:
        return list(ip.teredo)
    if ip in _NAT64:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    return []


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_loopback: bool) -> bool:
    if ip.is_loopback:
        return allow_loopback
    return bool(
        ip.is_global
        and not ip.is_multicast
        and not ip.is_reserved
        and not ip.is_link_local
        and not ip.is_unspecified
        # fec0::/10, deprecated site-local: private, yet outside is_global's exclusions.
        and not (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)
    )
