"""The LinkFetcher adapter: GET a link's page (or image) with httpx, safely.

- Only http and https, only the allowed ports (80 and 443 unless configured), no
  credentials in URLs; every address a host resolves to must be public (checked at the
  socket by ``godwit.outbound``, shared with Web Push).
- Redirects are followed by hand, at most three, each target checked like the first URL.
- A connect timeout, a read timeout and a deadline for the whole fetch.
- Bodies are read as a stream and never past a cap: 1 MB of a page (its meta tags come
  first; the rest is not read), the image size limit for images (larger ones are refused).
- Only HTML pages and images are read at all (by Content-Type).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Collection
from typing import TypeVar
from urllib.parse import urljoin

import httpcore
import httpx

from godwit import __version__
from godwit.domain.cards import MAX_HTML_BYTES, FetchedKind, FetchedLink
from godwit.domain.links import MAX_REDIRECTS, ForbiddenDestination, LinkFetchError, check_url
from godwit.links.html import parse_page
from godwit.outbound.client import guarded_client
from godwit.outbound.network import ForbiddenAddress

CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 10.0
TOTAL_TIMEOUT_SECONDS = 20.0
HTML_TYPES = ("text/html", "application/xhtml+xml")
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=5, keepalive_expiry=15.0)
_REDIRECTS = (301, 302, 303, 307, 308)
T = TypeVar("T")


class HttpLinkFetcher:
    """Owns one httpx client for the process; closed with the components."""

    def __init__(
        self,
        *,
        allowed_ports: Collection[int],
        allow_loopback: bool,
        max_image_bytes: int,
        contact_url: str,
        max_html_bytes: int = MAX_HTML_BYTES,
        network_backend: httpcore.AsyncNetworkBackend | None = None,
        total_timeout: float = TOTAL_TIMEOUT_SECONDS,
    ) -> None:
        self.allowed_ports = frozenset(allowed_ports)
        self.allow_loopback = allow_loopback
        self.max_image_bytes = max_image_bytes
        self.max_html_bytes = max_html_bytes
        self.total_timeout = total_timeout
        self._client = guarded_client(
            allow_loopback=allow_loopback,
            limits=LIMITS,
            timeout=httpx.Timeout(READ_TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS),
            user_agent=f"Godwit/{__version__} (link preview; +{contact_url})",
            network_backend=network_backend,
        )

    async def fetch(self, url: str) -> FetchedLink:
        return await self._within_deadline(url, self._fetch(url))

    async def fetch_image(self, url: str) -> bytes:
        return await self._within_deadline(url, self._fetch_image(url))

    async def close(self) -> None:
        await self._client.aclose()

    async def _within_deadline(self, url: str, work: Awaitable[T]) -> T:
        try:
            async with asyncio.timeout(self.total_timeout):
                return await work
        except TimeoutError:
            raise LinkFetchError(f"fetching {url[:200]} took too long") from None

    async def _fetch(self, url: str) -> FetchedLink:
        accept = "text/html,application/xhtml+xml;q=0.9,image/*;q=0.8"
        response, final_url = await self._open(url, accept)
        try:
            content_type, charset = _content_type(response)
            if content_type in HTML_TYPES:
                body = await _read(response, self.max_html_bytes, truncate=True)
                meta = parse_page(body, charset, final_url)
                return FetchedLink(final_url, FetchedKind.HTML, meta=meta)
            if content_type in IMAGE_TYPES:
                image = await _read(response, self.max_image_bytes, truncate=False)
                return FetchedLink(final_url, FetchedKind.IMAGE, image=image)
            raise LinkFetchError(f"{final_url} is {content_type or 'untyped'}, not a page")
        finally:
            await response.aclose()

    async def _fetch_image(self, url: str) -> bytes:
        response, final_url = await self._open(url, "image/*")
        try:
            content_type, _ = _content_type(response)
            if content_type not in IMAGE_TYPES:
                raise LinkFetchError(f"{final_url} is {content_type or 'untyped'}, no image")
            return await _read(response, self.max_image_bytes, truncate=False)
        finally:
            await response.aclose()

    async def _open(self, url: str, accept: str) -> tuple[httpx.Response, str]:
        """The first non-redirect answer (streamed, unread) and the URL that gave it."""
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(current, allowed_ports=self.allowed_ports, allow_loopback=self.allow_loopback)
            try:
                # Uncompressed, so that the size cap is the size read: _read takes raw bytes
                # and refuses any Content-Encoding (a decoded gzip bomb has no size limit).
                request = self._client.build_request(
                    "GET", current, headers={"Accept": accept, "Accept-Encoding": "identity"}
                )
                response = await self._client.send(request, stream=True)
            except ForbiddenAddress as error:  # the host resolved to a refused address
                raise ForbiddenDestination(str(error)) from error
            except (httpx.InvalidURL, UnicodeError, ValueError) as error:  # e.g. a bad IDNA name
                raise LinkFetchError(f"invalid URL {current[:200]!r}: {error}") from error
            except httpx.HTTPError as error:  # refused, reset, timed out, bad TLS…
                raise LinkFetchError(f"{type(error).__name__} fetching {current[:200]}") from error
            if response.status_code in _REDIRECTS and "location" in response.headers:
                await response.aclose()
                current = urljoin(current, response.headers["location"])
                continue
            if response.status_code != 200:
                await response.aclose()
                raise LinkFetchError(f"{current[:200]} answered {response.status_code}")
            return response, current
        raise LinkFetchError(f"more than {MAX_REDIRECTS} redirects from {url[:200]}")


def _content_type(response: httpx.Response) -> tuple[str, str | None]:
    raw = response.headers.get("content-type", "")
    media_type = raw.split(";", 1)[0].strip().lower()
    return media_type, response.charset_encoding


async def _read(response: httpx.Response, limit: int, *, truncate: bool) -> bytes:
    """The body, up to ``limit`` bytes: cut there (``truncate``) or refused. A declared
    length over the limit is refused before reading anything."""
    declared = response.headers.get("content-length", "")
    if not truncate and declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise LinkFetchError(f"{declared} bytes is over the limit of {limit}")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise LinkFetchError(f"compressed answer ({encoding[:40]}) although identity was asked")
    received = bytearray()
    try:
        async for chunk in response.aiter_raw():
            received += chunk
            if len(received) > limit:
                if truncate:
                    return bytes(received[:limit])
                raise LinkFetchError(f"more than {limit} bytes")
    except httpx.HTTPError as error:
        raise LinkFetchError(f"{type(error).__name__} while reading") from error
    return bytes(received)
