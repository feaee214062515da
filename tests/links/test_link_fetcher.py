"""The HTTP link fetcher against a real local web site: pages, redirects, caps, types."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator

import pytest

from godwit.domain.cards import MAX_HTML_BYTES, FetchedKind
from godwit.domain.links import ForbiddenDestination, LinkFetchError
from godwit.links.fetcher import HttpLinkFetcher
from godwit.links.html import parse_page
from tests.support.link_pages import (
    ARTICLE_DESCRIPTION,
    ARTICLE_TITLE,
    LoopbackOnlyBackend,
    PageServer,
    serve_pages,
)

IMAGE_LIMIT = 1024 * 1024


@pytest.fixture
def site() -> Iterator[PageServer]:
    yield from serve_pages()


def make_fetcher(site: PageServer, **overrides: object) -> HttpLinkFetcher:
    options: dict[str, object] = {
        "allowed_ports": {80, 443, site.port},
        "allow_loopback": True,
        "max_image_bytes": IMAGE_LIMIT,
        "contact_url": "https://godwit.test",
        "network_backend": LoopbackOnlyBackend(),
    }
    options.update(overrides)
    return HttpLinkFetcher(**options)  # type: ignore[arg-type]


@pytest.fixture
async def fetcher(site: PageServer) -> AsyncIterator[HttpLinkFetcher]:
    built = make_fetcher(site)
    yield built
    await built.close()


async def test_an_opengraph_page_gives_its_meta_tags(
    site: PageServer, fetcher: HttpLinkFetcher
) -> None:
    fetched = await fetcher.fetch(site.url("/article"))
    assert fetched.kind is FetchedKind.HTML
    assert fetched.final_url == site.url("/article")
    meta = fetched.meta
    assert meta.title == ARTICLE_TITLE  # og:title wins over <title>
    assert meta.description == ARTICLE_DESCRIPTION
    assert meta.image_url == site.url("/photo.jpg")  # resolved against the page
    assert meta.site_name == "Shorebird News"
    assert meta.author_name == "Ann Ornithologist"
    assert meta.language == "en-GB"
    assert meta.published_at == dt.datetime(2024, 9, 30, 8, 15, tzinfo=dt.UTC)


async def test_three_redirects_are_followed_and_a_fourth_is_not(
    site: PageServer, fetcher: HttpLinkFetcher
) -> None:
    fetched = await fetcher.fetch(site.url("/hop/3"))
    assert fetched.final_url == site.url("/article")
    assert fetched.meta.title == ARTICLE_TITLE
    with pytest.raises(LinkFetchError, match="redirects"):
        await fetcher.fetch(site.url("/hop/4"))


async def test_an_oversized_page_is_read_only_up_to_the_cap(
    site: PageServer, fetcher: HttpLinkFetcher
) -> None:
    # The head comes first: the card is made from the first megabyte.
    assert (await fetcher.fetch(site.url("/big"))).meta.title == "Big page"
    # Meta tags after the cap are never read.
    late = await fetcher.fetch(site.url("/big-late-title"))
    assert late.meta.title == ""
    small = make_fetcher(site, max_html_bytes=1000)
    try:
        assert (await small.fetch(site.url("/big-late-title"))).meta.title == ""
    finally:
        await small.close()
    assert MAX_HTML_BYTES == 1024 * 1024


async def test_a_compressed_answer_is_refused_unread(
    site: PageServer, fetcher: HttpLinkFetcher
) -> None:
    # Identity was asked for; a gzip bomb sent anyway is refused, never decoded.
    with pytest.raises(LinkFetchError, match="compressed"):
        await fetcher.fetch(site.url("/gzip-bomb"))


async def test_hostile_charsets_dates_and_names_give_no_crash(
    site: PageServer, fetcher: HttpLinkFetcher
) -> None:
    # rot13 is a Python codec but no page encoding: the page is read as UTF-8.
    assert (await fetcher.fetch(site.url("/rot13"))).meta.title == "Gvgyr"
    old = await fetcher.fetch(site.url("/year-one"))
    assert old.meta.title == "Old"
    assert old.meta.published_at is None
    with pytest.raises(LinkFetchError):
        await fetcher.fetch("http://xn--a.com/")


async def test_only_pages_and_images_are_read(site: PageServer, fetcher: HttpLinkFetcher) -> None:
    with pytest.raises(LinkFetchError, match="application/json"):
        await fetcher.fetch(site.url("/data.json"))
    with pytest.raises(LinkFetchError, match="404"):
        await fetcher.fetch(site.url("/not-found"))
    image = await fetcher.fetch(site.url("/photo.jpg"))
    assert image.kind is FetchedKind.IMAGE
    assert image.image.startswith(b"\xff\xd8")
    with pytest.raises(LinkFetchError, match="no image"):
        await fetcher.fetch_image(site.url("/article"))


async def test_an_image_over_the_limit_is_refused(
    site: PageServer, fetcher: HttpLinkFetcher
) -> None:
    with pytest.raises(LinkFetchError, match="over the limit"):
        await fetcher.fetch_image(site.url("/huge.jpg"))
    assert len(await fetcher.fetch_image(site.url("/photo.jpg"))) < IMAGE_LIMIT


async def test_a_slow_site_runs_into_the_deadline(site: PageServer) -> None:
    impatient = make_fetcher(site, total_timeout=0.5)
    try:
        with pytest.raises(LinkFetchError, match="too long"):
            await impatient.fetch(site.url("/slow"))
    finally:
        await impatient.close()


async def test_the_fetcher_says_who_it_is(site: PageServer, fetcher: HttpLinkFetcher) -> None:
    await fetcher.fetch(site.url("/article"))
    assert site.user_agents[0].startswith("Godwit/")
    assert "link preview; +https://godwit.test" in site.user_agents[0]


async def test_ports_other_than_80_and_443_need_the_setting(site: PageServer) -> None:
    strict = make_fetcher(site, allowed_ports={80, 443})
    try:
        with pytest.raises(ForbiddenDestination, match="port"):
            await strict.fetch(site.url("/article"))
    finally:
        await strict.close()
    assert site.hits["/article"] == 0


def test_page_parsing_copes_with_encodings_and_author_urls() -> None:
    latin = (
        b"<html><head><meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>"
        b"<title>Caf\xe9</title><meta property='article:author' content='/authors/ann'>"
        b"<meta property='og:image' content='javascript:alert(1)'></head></html>"
    )
    meta = parse_page(latin, None, "https://news.example/a/b")
    assert meta.title == "Café"
    assert meta.author_url == "https://news.example/authors/ann"
    assert meta.author_name == ""
    assert meta.image_url is None  # only http(s) images
    assert parse_page("Café".encode(), "utf-8", "https://x.example/").title == ""
    broken = parse_page(b"<title>T</title><meta name=description content=D", "bogus", "https://x/")
    assert broken.title == "T"
