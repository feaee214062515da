"""Links in posts and the rules for fetching them: which link gets a preview card, how a
URL is normalised, and where the server may connect (no SSRF).

Pure data and rules; the HTTP adapter (``godwit.links``) applies them to every URL and
redirect, and ``godwit.outbound`` applies the address rules (``godwit.domain.outbound``)
on every connection.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from godwit.domain.outbound import address_allowed, is_loopback_name
from godwit.domain.text import parse

MAX_URL_LENGTH = 2048
MAX_REDIRECTS = 3
DEFAULT_PORTS = {"http": 80, "https": 443}


class LinkFetchError(Exception):
    """A link could not be previewed: unreachable, refused, too large, not a page…"""


class ForbiddenDestination(LinkFetchError):
    """The URL, or an address its host resolves to, is one the server must not reach."""


@dataclass(frozen=True, slots=True)
class Destination:
    """Where a checked URL leads: the scheme, host (IDNA, lower case) and port."""

    scheme: str
    host: str
    port: int


def normalise_url(raw: str) -> str | None:
    """The form a link is cached under: lower-case scheme and host (IDNA), no default
    port, no fragment, "/" for an empty path. None for anything that is not an absolute
    http(s) URL with a host, or that carries credentials."""
    if len(raw) > MAX_URL_LENGTH or any(ch.isspace() or ord(ch) < 32 for ch in raw):
        return None
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    host = _ascii_host(parts.hostname)
    if host is None:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    normalised = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    return normalised if len(normalised) <= MAX_URL_LENGTH else None


def _ascii_host(hostname: str) -> str | None:
    host = hostname.rstrip(".").lower()
    if not host:
        return None
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def card_link(text: str, own_domain: str) -> str | None:
    """The link of a post that gets a preview card: the first one that is not a mention
    or a hashtag (those are separate tokens, never links) nor a page of this server."""
    own = own_domain.lower()
    for url in parse(text).urls:
        normalised = normalise_url(url)
        if normalised is None:
            continue
        if urlsplit(normalised).netloc != own:
            return normalised
    return None


def check_url(url: str, *, allowed_ports: Collection[int], allow_loopback: bool) -> Destination:
    """The destination of a URL the fetcher is about to request (the first one or a
    redirect's), or ``ForbiddenDestination``: only http and https, only the allowed ports,
    no credentials, and a literal IP host must be an allowed address. Host names are
    checked again once resolved, at connection time."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ForbiddenDestination(f"not a valid URL: {url[:200]!r}") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ForbiddenDestination(f"only http and https links are fetched, not {scheme!r}")
    if "@" in parts.netloc:
        raise ForbiddenDestination("URLs with credentials are not fetched")
    host = _ascii_host(parts.hostname or "")
    if host is None:
        raise ForbiddenDestination("the URL has no valid host")
    effective_port = port if port is not None else DEFAULT_PORTS[scheme]
    if effective_port not in allowed_ports:
        raise ForbiddenDestination(f"port {effective_port} is not allowed")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        # Names are checked once resolved; "localhost" is refused without asking DNS.
        if is_loopback_name(host) and not allow_loopback:
            raise ForbiddenDestination(f"{host} is a loopback name") from None
    else:
        if not address_allowed(host, allow_loopback=allow_loopback):
            raise ForbiddenDestination(f"{host} is not a public address")
    return Destination(scheme, host, effective_port)


def parse_ports(raw: str) -> frozenset[int]:
    """``"80,443"`` → {80, 443}; ``ValueError`` for anything else."""
    ports = set()
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        port = int(item)
        if not 0 < port < 65536:
            raise ValueError(f"{port} is not a TCP port")
        ports.add(port)
    if not ports:
        raise ValueError("no port given")
    return frozenset(ports)
