"""No server-side request forgery through a link: loopback, private, link-local (cloud
metadata), names resolving there, odd spellings of loopback and redirects to any of them are
refused before a connection is made.

Every fetcher here runs on ``LoopbackOnlyBackend``: should a refusal ever break, the test
fails at the socket instead of sending a packet off this machine.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from godwit.domain.links import ForbiddenDestination
from godwit.links.fetcher import HttpLinkFetcher
from godwit.outbound.network import ForbiddenAddress
from tests.support.link_pages import LoopbackOnlyBackend, PageServer, serve_pages


@pytest.fixture
def site() -> Iterator[PageServer]:
    yield from serve_pages()


def make_fetcher(site: PageServer, *, allow_loopback: bool) -> HttpLinkFetcher:
    return HttpLinkFetcher(
        allowed_ports={80, 443, site.port},
        allow_loopback=allow_loopback,
        max_image_bytes=1024 * 1024,
        contact_url="https://godwit.test",
        network_backend=LoopbackOnlyBackend(),
    )


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.0.0.2",
        "[::1]",
        "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6
        "0.0.0.0",  # noqa: S104 - reaches this machine on Linux
        "localhost",
        "LOCALHOST.",
        "api.localhost",
        "127.1",  # shorthand the resolver expands to 127.0.0.1
        "2130706433",  # 127.0.0.1 as one decimal number
        "0x7f000001",  # and in hexadecimal
    ],
)
async def test_loopback_in_any_spelling_is_refused_when_the_flag_is_off(
    site: PageServer, host: str
) -> None:
    fetcher = make_fetcher(site, allow_loopback=False)
    try:
        with pytest.raises(ForbiddenDestination):
            await fetcher.fetch(f"http://{host}:{site.port}/article")
    finally:
        await fetcher.close()
    assert site.hits["/article"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://10.255.255.255:443/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[fd00::1]/",  # unique local IPv6
        "http://[fe80::1]/",  # link-local IPv6
        "http://[::ffff:10.0.0.1]/",  # a private address inside an IPv4-mapped one
        "http://[::ffff:169.254.169.254]/",
        "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://224.0.0.1/",  # multicast
        "http://[ff02::1]/",
        "http://240.0.0.1/",  # reserved
        "ftp://example.com/file",
        "file:///etc/passwd",
        "gopher://example.com/",
        "http://user:secret@example.com/",
    ],
)
async def test_private_addresses_and_other_schemes_are_refused_even_with_loopback_allowed(
    site: PageServer, url: str
) -> None:
    fetcher = make_fetcher(site, allow_loopback=True)
    try:
        with pytest.raises(ForbiddenDestination):
            await fetcher.fetch(url)
    finally:
        await fetcher.close()


@pytest.mark.parametrize("path", ["/to-private", "/to-metadata", "/to-file", "/to-ipv6-loopback"])
async def test_a_redirect_to_a_refused_address_is_refused(site: PageServer, path: str) -> None:
    # Loopback is allowed for the first hop (the test site); the redirect's target is
    # checked again: private, link-local and non-http destinations stay refused.
    fetcher = make_fetcher(site, allow_loopback=True)
    try:
        if path == "/to-ipv6-loopback":
            strict = make_fetcher(site, allow_loopback=False)
            try:
                with pytest.raises(ForbiddenDestination):
                    await strict.fetch(site.url(path))
            finally:
                await strict.close()
        else:
            with pytest.raises(ForbiddenDestination):
                await fetcher.fetch(site.url(path))
    finally:
        await fetcher.close()


async def test_an_image_url_pointing_at_metadata_is_refused(site: PageServer) -> None:
    fetcher = make_fetcher(site, allow_loopback=True)
    try:
        page = await fetcher.fetch(site.url("/bad-image-page"))
        assert page.meta.image_url == site.url("/to-metadata")
        with pytest.raises(ForbiddenDestination):
            await fetcher.fetch_image(page.meta.image_url)
    finally:
        await fetcher.close()


async def test_a_name_resolving_to_loopback_is_refused_at_connection_time(site: PageServer) -> None:
    # "127.1" is no IP literal to the URL check; the socket guard (godwit.outbound) resolves
    # it, refuses 127.0.0.1, and the fetcher reports that as a forbidden destination.
    fetcher = make_fetcher(site, allow_loopback=False)
    try:
        with pytest.raises(ForbiddenDestination, match="not a public address") as refused:
            await fetcher.fetch(f"http://127.1:{site.port}/article")
    finally:
        await fetcher.close()
    assert isinstance(refused.value.__cause__, ForbiddenAddress)
    assert site.hits["/article"] == 0
