"""Bookmarks and favourites: the member's own, paged by when they were marked."""

from __future__ import annotations

import re

import httpx

from godwit.app import Components
from tests.factories import make_member
from tests.web.pages import sign_in, submit
from tests.web.social import XSS_NAME, XSS_TEXT, post, rename


async def test_bookmarks_are_the_members_own(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    marks = web_components.services.status_marks
    kept = await post(web_components, bob, "A tide chart worth keeping")
    other = await post(web_components, bob, "Bob's own reading list")
    await marks.bookmark(int(kept), alice.account_id)
    await marks.bookmark(int(other), bob.account_id)

    await sign_in(web, web_components, alice)
    page = await web.get("/bookmarks")
    assert page.status_code == 200
    assert "A tide chart worth keeping" in page.text
    assert "Bob&#39;s own reading list" not in page.text
    assert "own reading list" not in page.text

    await sign_in(web, web_components, bob)
    page = await web.get("/bookmarks")
    assert "own reading list" in page.text
    assert "A tide chart worth keeping" not in page.text


async def test_unbookmarking_from_the_page_removes_the_post(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    kept = await post(web_components, alice, "Remember the heron")
    await web_components.services.status_marks.bookmark(int(kept), alice.account_id)
    await sign_in(web, web_components, alice)
    page = await web.get("/bookmarks")
    assert f'action="/web/statuses/{kept}/unbookmark"' in page.text
    assert 'name="return_to" value="/bookmarks"' in page.text
    done = await submit(
        web, f"/web/statuses/{kept}/unbookmark", {"return_to": "/bookmarks"}, page="/bookmarks"
    )
    assert done.status_code == 303
    assert done.headers["location"].startswith("/bookmarks")
    assert "Remember the heron" not in (await web.get("/bookmarks")).text


async def test_a_bookmarked_post_that_became_hidden_disappears(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await web_components.services.graph.follow(alice.account_id, bob.account_id)
    secret = await post(web_components, bob, "for followers only", visibility="private")
    await web_components.services.status_marks.bookmark(int(secret), alice.account_id)
    await sign_in(web, web_components, alice)
    assert "for followers only" in (await web.get("/bookmarks")).text
    await web_components.services.graph.block(bob.account_id, alice.account_id)
    assert "for followers only" not in (await web.get("/bookmarks")).text


async def test_favourites_page_by_when_they_were_favourited(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    ids = [await post(web_components, bob, f"post number {n:02d}") for n in range(22)]
    # Favourited oldest post last: the list goes by the favourite, not the post.
    for status_id in [*ids[1:], ids[0]]:
        await web_components.services.statuses.favourite(int(status_id), alice.account_id)

    await sign_in(web, web_components, alice)
    first = await web.get("/favourites")
    assert first.status_code == 200
    positions = [int(n) for n in re.findall(r"post number (\d\d)", first.text)]
    assert positions[0] == 0  # the newest favourite first
    assert len(positions) == 20
    match = re.search(r'href="(/favourites\?max_id=\d+)" data-load-more rel="next"', first.text)
    assert match
    second = await web.get(match.group(1))
    rest = [int(n) for n in re.findall(r"post number (\d\d)", second.text)]
    assert sorted(positions + rest) == list(range(22))
    assert "data-load-more" not in second.text


async def test_visitors_are_sent_to_sign_in_and_xss_is_inert(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    for path in ("/bookmarks", "/favourites"):
        response = await web.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/auth/sign_in?next=")
    alice = await make_member(web_components, "alice")
    mallory = await make_member(web_components, "mallory")
    await rename(web_components, mallory, XSS_NAME)
    bad = await post(web_components, mallory, XSS_TEXT)
    await web_components.services.statuses.favourite(int(bad), alice.account_id)
    await sign_in(web, web_components, alice)
    page = await web.get("/favourites")
    assert "look" in page.text
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text
    assert (await web.get("/favourites?max_id=not-a-number")).status_code == 200
