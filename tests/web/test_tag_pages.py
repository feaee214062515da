"""Hashtag pages: public posts only, following a hashtag, OpenGraph for visitors."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from godwit.app import Components
from godwit.domain.pagination import PageRequest
from tests.factories import make_member
from tests.web.pages import sign_in, submit
from tests.web.social import XSS_NAME, XSS_TEXT, post, rename


async def test_visitors_see_public_posts_only_with_opengraph(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    bob = await make_member(web_components, "bob")
    await post(web_components, bob, "Low tide walk #Shorebirds")
    await post(web_components, bob, "Followers only #shorebirds", visibility="private")
    await post(web_components, bob, "Quiet public #shorebirds", visibility="unlisted")

    page = await web.get("/tags/shorebirds")
    assert page.status_code == 200
    assert "Low tide walk" in page.text
    assert "Followers only" not in page.text
    assert 'property="og:title" content="#Shorebirds"' in page.text
    assert 'property="og:url" content="https://godwit.test/tags/shorebirds"' in page.text
    assert 'rel="canonical"' in page.text
    assert 'data-live="tag:shorebirds"' in page.text  # new posts arrive live
    assert "/web/tags/" not in page.text  # no follow button for visitors
    assert "Sign in</a> to follow this hashtag" in page.text

    # The tag matches whatever its case and with a leading '#', as in the client API.
    for path in ("/tags/SHOREBIRDS", "/tags/" + quote("#shorebirds", safe="")):
        same = await web.get(path)
        assert same.status_code == 200
        assert "Low tide walk" in same.text


async def test_followers_only_posts_stay_hidden_even_from_followers(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await web_components.services.graph.follow(alice.account_id, bob.account_id)
    await post(web_components, bob, "for my followers #estuary", visibility="private")
    await post(web_components, bob, "for everyone #estuary")
    await sign_in(web, web_components, alice)
    page = await web.get("/tags/estuary")
    assert "for everyone" in page.text
    assert "for my followers" not in page.text


async def test_a_blocked_accounts_posts_are_left_out(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    carol = await make_member(web_components, "carol")
    await post(web_components, bob, "bob on the dunes #dunes")
    await post(web_components, carol, "carol on the dunes #dunes")
    await web_components.services.graph.block(alice.account_id, bob.account_id)
    await sign_in(web, web_components, alice)
    page = await web.get("/tags/dunes")
    assert "carol on the dunes" in page.text
    assert "bob on the dunes" not in page.text


async def test_members_follow_and_unfollow_a_hashtag(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    page = await web.get("/tags/Wadden")
    assert page.status_code == 200
    assert 'action="/web/tags/wadden/follow"' in page.text
    assert 'aria-pressed="false"' in page.text

    refused = await web.post("/web/tags/wadden/follow", data={"return_to": "/tags/wadden"})
    assert refused.status_code == 403
    tags = web_components.services.tags
    assert await tags.followed(alice.account_id, PageRequest(limit=10)) == []

    done = await submit(
        web, "/web/tags/wadden/follow", {"return_to": "/tags/wadden"}, page="/tags/wadden"
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/tags/wadden?notice=tag_followed"
    followed = await tags.followed(alice.account_id, PageRequest(limit=10))
    assert [item.view.tag.name for item in followed] == ["wadden"]
    after = await web.get("/tags/wadden")
    assert 'aria-pressed="true"' in after.text
    assert 'action="/web/tags/wadden/unfollow"' in after.text

    await submit(web, "/web/tags/wadden/unfollow", page="/tags/wadden")
    assert await tags.followed(alice.account_id, PageRequest(limit=10)) == []


async def test_malformed_tags_are_not_found(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    for path in ("/tags/" + quote("two words"), "/tags/%23", "/tags/" + "x" * 300, "/tags/a%00b"):
        response = await web.get(path)
        assert response.status_code == 404, path
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    response = await submit(web, "/web/tags/" + quote("no good") + "/follow", page="/tags/ok")
    assert response.status_code == 404


async def test_names_and_posts_are_inert(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    mallory = await make_member(web_components, "mallory")
    await rename(web_components, mallory, XSS_NAME)
    await post(web_components, mallory, f"{XSS_TEXT} #inert")
    page = await web.get("/tags/inert")
    assert "look" in page.text
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text


async def test_pages_follow_max_id(web: httpx.AsyncClient, web_components: Components) -> None:
    bob = await make_member(web_components, "bob")
    for number in range(22):
        await post(web_components, bob, f"count {number:02d} #tally")
    first = await web.get("/tags/tally")
    assert "count 21" in first.text
    assert "count 01" not in first.text
    start = first.text.index('href="/tags/tally?max_id=')
    next_url = first.text[start + 6 : first.text.index('"', start + 6)]
    second = await web.get(next_url)
    assert "count 01" in second.text
    assert "count 21" not in second.text
