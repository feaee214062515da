"""The search page: a GET form; people, posts and hashtags; visibility; odd queries."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from godwit.app import Components
from tests.factories import make_member
from tests.web.pages import sign_in
from tests.web.social import XSS_NAME, XSS_TEXT, post, rename


async def test_an_empty_query_shows_the_form_only(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    page = await web.get("/search")
    assert page.status_code == 200
    assert 'role="search"' in page.text
    assert 'method="get" action="/search"' in page.text
    assert '<label for="search-q"' in page.text
    assert 'id="results-' not in page.text
    blank = await web.get("/search?q=%20%20")
    assert blank.status_code == 200
    assert 'id="results-' not in blank.text


async def test_members_find_people_posts_and_hashtags(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "birdwatcher")
    await post(web_components, bob, "Spotted a godwit on the mudflats #birding")
    await sign_in(web, web_components, alice)

    people = await web.get("/search?q=birdw")
    assert people.status_code == 200
    assert 'id="results-accounts"' in people.text
    assert 'href="/@birdwatcher"' in people.text

    posts = await web.get("/search?q=mudflats")
    assert 'id="results-statuses"' in posts.text
    assert "Spotted a godwit" in posts.text

    tags = await web.get("/search?q=%23bird")
    assert 'href="/tags/birding"' in tags.text
    assert "#birding" in tags.text

    only_posts = await web.get("/search?q=godwit&type=statuses")
    assert 'aria-current="page">Posts<' in only_posts.text
    assert 'id="results-accounts"' not in only_posts.text


async def test_private_posts_are_found_only_by_those_who_may_see_them(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    carol = await make_member(web_components, "carol")
    await web_components.services.graph.follow(carol.account_id, bob.account_id)
    await post(web_components, bob, "pelicans roost quietly", visibility="private")

    await sign_in(web, web_components, alice)
    outsider = await web.get("/search?q=pelicans")
    assert outsider.status_code == 200
    assert "pelicans roost" not in outsider.text

    await sign_in(web, web_components, carol)
    follower = await web.get("/search?q=pelicans")
    assert "pelicans roost" in follower.text


async def test_blocked_accounts_and_their_posts_are_not_found(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bobolink")
    await post(web_components, bob, "bobolink sings of meadows")
    await web_components.services.graph.block(bob.account_id, alice.account_id)
    await sign_in(web, web_components, alice)
    for query in ("bobolink", "meadows", "@bobolink@godwit.test"):
        page = await web.get("/search?q=" + quote(query))
        assert page.status_code == 200
        assert 'href="/@bobolink"' not in page.text, query
        assert "sings of meadows" not in page.text, query


async def test_visitors_search_people_and_hashtags_but_not_posts(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    bob = await make_member(web_components, "bob")
    await post(web_components, bob, "public curlews everywhere #curlew")
    page = await web.get("/search?q=curlew")
    assert page.status_code == 200
    assert 'href="/tags/curlew"' in page.text
    assert "public curlews everywhere" not in page.text
    assert "to search posts" in page.text
    people = await web.get("/search?q=bob")
    assert 'href="/@bob"' in people.text
    # A visitor asking for a deeper page gets the first one (the service refuses offsets
    # without a member), never an error.
    deeper = await web.get("/search?q=bob&type=accounts&offset=20")
    assert deeper.status_code == 200
    assert 'href="/@bob"' in deeper.text


async def test_results_are_inert(web: httpx.AsyncClient, web_components: Components) -> None:
    viewer = await make_member(web_components, "viewer")
    mallory = await make_member(web_components, "mallory")
    await rename(web_components, mallory, XSS_NAME)
    await post(web_components, mallory, f"mallory says {XSS_TEXT}")
    await sign_in(web, web_components, viewer)
    found = await web.get("/search?q=mallory")
    assert 'href="/@mallory"' in found.text
    assert "mallory says" in found.text
    assert "<img src=x" not in found.text
    assert "<script>alert" not in found.text
    reflected = await web.get("/search?q=" + quote('"><script>alert(1)</script>'))
    assert reflected.status_code == 200
    assert "<script>alert(1)" not in reflected.text
    assert "&lt;script&gt;alert(1)" in reflected.text


@pytest.mark.parametrize(
    "query",
    [
        "%00",
        "a%00b",
        "%ED%A0%80",  # an encoded lone surrogate: not UTF-8
        "%FF%FE",
        quote("👩🏽‍🔬" * 50),
        quote("\u202e\u200b\ufeffabc"),
        quote("#" + "ß" * 300),
        quote("@@@@"),
        quote("a*" * 200),
        quote("x" * 999),
        quote("café @bob@godwit.test #straße"),
    ],
)
async def test_odd_queries_never_fail(
    web: httpx.AsyncClient, web_components: Components, query: str
) -> None:
    viewer = await make_member(web_components, "viewer")
    await sign_in(web, web_components, viewer)
    for kind in ("", "&type=statuses", "&type=hashtags", "&type=accounts&offset=999999"):
        response = await web.get(f"/search?q={query}{kind}")
        assert response.status_code == 200, (query, kind, response.text[:300])


async def test_a_query_over_the_limit_is_refused_in_the_form(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    response = await web.get("/search?q=" + "y" * 1001)
    assert response.status_code == 422
    assert 'aria-describedby="search-error"' in response.text
    assert "at most 1,000 characters" in response.text
