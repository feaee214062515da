"""A post's page, /@acct/<id>: the thread, visibility exactly as the API, the reply form,
OpenGraph without leaks, canonical addresses and escaping."""

from __future__ import annotations

import httpx

from godwit.app import Components
from godwit.web.status_pages import MAX_INDENT, reply_depths
from tests.factories import make_member
from tests.web.pages import sign_in
from tests.web.profile_helpers import (
    IMG,
    SCRIPT,
    assert_inert,
    follow,
    head,
    link,
    meta,
    post,
    suspend,
)


async def test_a_visitor_reads_a_thread_in_order_around_the_focused_post(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    root = await post(web_components, alice, "First, the question")
    middle = await post(web_components, bob, "@alice Then a reply", reply_to=root)
    answer = await post(web_components, alice, "@bob And an answer", reply_to=middle)
    nested = await post(web_components, bob, "@alice Deeper still", reply_to=answer)

    page = await web.get(f"/@bob/{middle}")

    assert page.status_code == 200
    html = page.text.split('<main id="main"', 1)[1]  # the head quotes the focused post
    order = [html.index(text) for text in ("First, the question", "Then a reply", "And an answer")]
    assert order == sorted(order)
    assert 'class="status status--focused"' in html
    assert f'id="status-{middle}"' in html.split("status--focused")[1][:200]
    assert "thread__item--depth-1" in html
    assert "thread__item--depth-2" in html
    assert html.index("Deeper still") > html.index("And an answer")
    assert f'href="/@bob/{nested}"' in html
    assert "Sign in to reply" in html
    assert 'id="compose"' not in html


async def test_a_public_post_has_opengraph_and_discovery_tags(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    status_id = await post(web_components, alice, "Painting the roses red & white")

    html = head((await web.get(f"/@alice/{status_id}")).text)

    url = f"https://godwit.test/@alice/{status_id}"
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == url
    assert link(html, "canonical") == url
    assert meta(html, "og:title") == "Alice (@alice)"
    assert meta(html, "og:description") == "Painting the roses red & white"
    assert meta(html, "og:image") == "https://godwit.test/static/avatar-missing.png"
    assert (
        '<link rel="alternate" type="application/activity+json" '
        f'href="https://godwit.test/users/alice/statuses/{status_id}">' in html
    )
    assert "<title>Alice: “Painting the roses red &amp; white”" in html


async def test_followers_only_posts_are_a_404_to_visitors_and_strangers(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    fiona = await make_member(web_components, "fiona")
    stan = await make_member(web_components, "stan")
    await follow(web_components, fiona, alice)
    secret = await post(web_components, alice, "Followers only secret", visibility="private")
    path = f"/@alice/{secret}"

    as_visitor = await web.get(path)
    await sign_in(web, web_components, stan)
    as_stranger = await web.get(path)
    await sign_in(web, web_components, fiona)
    as_follower = await web.get(path)

    assert as_visitor.status_code == as_stranger.status_code == 404
    assert "Followers only secret" not in as_visitor.text + as_stranger.text
    assert as_follower.status_code == 200
    assert "Followers only secret" in as_follower.text
    tags = head(as_follower.text)
    assert "secret" not in tags
    assert meta(tags, "og:description") is None
    assert meta(tags, "description") is None
    assert meta(tags, "robots") == "noindex, noarchive"


async def test_direct_posts_show_only_to_the_author_and_the_people_mentioned(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    fiona = await make_member(web_components, "fiona")
    await follow(web_components, fiona, alice)
    whisper = await post(web_components, alice, "@bob a quiet word", visibility="direct")
    path = f"/@alice/{whisper}"

    assert (await web.get(path)).status_code == 404
    await sign_in(web, web_components, fiona)
    assert (await web.get(path)).status_code == 404  # following is not enough
    await sign_in(web, web_components, bob)
    mentioned = await web.get(path)
    await sign_in(web, web_components, alice)
    author = await web.get(path)

    assert mentioned.status_code == author.status_code == 200
    assert "a quiet word" in mentioned.text
    assert "a quiet word" not in head(mentioned.text)


async def test_replies_hidden_from_the_viewer_stay_hidden_in_the_thread(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    root = await post(web_components, alice, "Open question")
    await post(web_components, bob, "@alice private answer", reply_to=root, visibility="private")
    await post(web_components, bob, "@alice public answer", reply_to=root)

    html = (await web.get(f"/@alice/{root}")).text

    assert "public answer" in html
    assert "private answer" not in html


async def test_a_member_gets_a_reply_form_for_the_post(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    status_id = await post(web_components, alice, "Who wants tea?")
    await sign_in(web, web_components, bob)

    html = (await web.get(f"/@alice/{status_id}")).text

    form = html.split('id="compose"')[1].split("</form>")[0]
    assert f'name="in_reply_to_id" value="{status_id}"' in form
    assert "@alice" in form
    assert f'name="return_to" value="/@alice/{status_id}"' in form


async def test_post_content_renders_inert_on_its_page_and_in_its_tags(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    mallory = await make_member(web_components, "mallory")
    status_id = await post(web_components, mallory, f"{SCRIPT} {IMG} javascript:alert(1)")

    page = await web.get(f"/@mallory/{status_id}")

    assert page.status_code == 200
    assert_inert(page.text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


async def test_content_warnings_and_quiet_posts_in_the_tags(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    warned = await post(web_components, alice, "The ending is sad", spoiler_text="Spoilers")
    quiet = await post(web_components, alice, "Quiet but public", visibility="unlisted")

    warned_head = head((await web.get(f"/@alice/{warned}")).text)
    quiet_head = head((await web.get(f"/@alice/{quiet}")).text)

    assert meta(warned_head, "og:description") == "Content warning: Spoilers"
    assert "The ending is sad" not in warned_head
    assert meta(quiet_head, "og:description") == "Quiet but public"  # anyone may read it


async def test_addresses_must_name_the_author(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await make_member(web_components, "bob")
    status_id = await post(web_components, alice, "Mine")

    assert (await web.get(f"/@bob/{status_id}")).status_code == 404
    assert (await web.get(f"/@nobody/{status_id}")).status_code == 404
    moved = await web.get(f"/@Alice/{status_id}")
    assert moved.status_code == 301
    assert moved.headers["location"] == f"/@alice/{status_id}"


async def test_unknown_and_malformed_ids_are_a_404_page(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await make_member(web_components, "alice")

    for path in ("/@alice/123456789", "/@alice/abc", "/@alice/99999999999999999999", "/@alice/0"):
        response = await web.get(path)
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"]
        assert "This page does not exist" in response.text


async def test_a_boost_leads_to_its_original(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    original = await post(web_components, alice, "Worth sharing")
    boost = await web_components.services.statuses.reblog(int(original), bob.account_id, None)

    response = await web.get(f"/@bob/{boost.status.id}")

    assert response.status_code == 301
    assert response.headers["location"] == f"/@alice/{original}"


async def test_posts_of_a_suspended_account_are_gone(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    sam = await make_member(web_components, "sam")
    status_id = await post(web_components, sam, "Spam spam spam")
    await suspend(web_components, sam)

    response = await web.get(f"/@sam/{status_id}")

    assert response.status_code == 404
    assert "Spam spam spam" not in response.text


def test_reply_depths_follow_parents_and_are_capped() -> None:
    replies = [{"id": str(n), "in_reply_to_id": str(n - 1)} for n in range(2, 10)]
    replies.append({"id": "orphan", "in_reply_to_id": "hidden"})

    depths = reply_depths("1", replies)

    assert depths["2"] == 1
    assert depths["3"] == 2
    assert depths["9"] == MAX_INDENT
    assert depths["orphan"] == 1
