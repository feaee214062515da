"""The notifications page: what shows, what never does, follow requests, read marker."""

from __future__ import annotations

import re

import httpx

from godwit.app import Components
from tests.factories import make_member
from tests.web.pages import csrf_token, sign_in, submit
from tests.web.social import XSS_NAME, XSS_TEXT, post, rename, settle

_ARTICLE_RE = re.compile(r'<article class="notification[^"]*" id="notification-(\d+)"')


def _notification_ids(html: str) -> list[int]:
    return [int(found) for found in _ARTICLE_RE.findall(html)]


async def test_a_mention_and_a_favourite_show_who_did_what(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await post(web_components, bob, "@alice the river is up today")
    own = await post(web_components, alice, "Tide tables are out")
    await web_components.services.statuses.favourite(int(own), bob.account_id)

    await sign_in(web, web_components, alice)
    page = await web.get("/notifications")
    assert page.status_code == 200
    assert "mentioned you" in page.text
    assert "the river is up today" in page.text  # the mention is shown in full
    assert "favourited your post" in page.text
    assert "Tide tables are out" in page.text  # the favourited post as an excerpt
    assert f'href="/@alice/{own}"' in page.text
    assert 'aria-current="page">All<' in page.text

    mentions = await web.get("/notifications/mentions")
    assert "mentioned you" in mentions.text
    assert "favourited your post" not in mentions.text
    assert 'aria-current="page">Mentions only<' in mentions.text


async def test_a_blocked_accounts_activity_never_shows(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    carol = await make_member(web_components, "carol")
    dave = await make_member(web_components, "dave")
    own = await post(web_components, alice, "A quiet morning")
    await web_components.services.statuses.favourite(int(own), carol.account_id)
    await web_components.services.graph.block(alice.account_id, carol.account_id)
    await web_components.services.graph.block(alice.account_id, dave.account_id)
    await post(web_components, dave, "@alice can you hear me")

    await sign_in(web, web_components, alice)
    page = await web.get("/notifications")
    assert page.status_code == 200
    assert "@carol" not in page.text
    assert "Carol" not in page.text
    assert "can you hear me" not in page.text
    assert "No notifications yet" in page.text


async def test_a_mention_in_a_post_the_reader_may_no_longer_see_is_dropped(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await web_components.services.graph.follow(alice.account_id, bob.account_id)
    status_id = await post(web_components, bob, "@alice secret plans", visibility="private")
    await sign_in(web, web_components, alice)
    assert "secret plans" in (await web.get("/notifications")).text
    await web_components.services.statuses.delete(int(status_id), bob.account_id)
    await settle(web_components)
    assert "secret plans" not in (await web.get("/notifications")).text


async def test_names_and_posts_are_inert(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    mallory = await make_member(web_components, "mallory")
    await rename(web_components, mallory, XSS_NAME)
    await post(web_components, mallory, f"@alice {XSS_TEXT}")
    await web_components.services.graph.follow(mallory.account_id, alice.account_id)

    await sign_in(web, web_components, alice)
    page = await web.get("/notifications")
    assert "mentioned you" in page.text
    assert "followed you" in page.text
    assert "<img src=x" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text
    assert "<script>alert" not in page.text


async def test_follow_requests_are_authorized_or_rejected_from_the_page(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice", locked=True)
    bob = await make_member(web_components, "bob")
    carol = await make_member(web_components, "carol")
    graph = web_components.services.graph
    await graph.follow(bob.account_id, alice.account_id)
    await graph.follow(carol.account_id, alice.account_id)

    await sign_in(web, web_components, alice)
    page = await web.get("/notifications")
    assert page.text.count("asked to follow you") == 2
    authorize = f"/web/follow_requests/{bob.account_id}/authorize"
    assert f'action="{authorize}"' in page.text

    refused = await web.post(authorize, data={"return_to": "/notifications"})
    assert refused.status_code == 403
    assert not (await graph.relationships(bob.account_id, [alice.account_id]))[0].following

    done = await submit(web, authorize, {"return_to": "/notifications"}, page="/notifications")
    assert done.status_code == 303
    assert done.headers["location"] == "/notifications?notice=follow_request_authorized"
    assert (await graph.relationships(bob.account_id, [alice.account_id]))[0].following

    rejected = await submit(
        web, f"/web/follow_requests/{carol.account_id}/reject", page="/notifications"
    )
    assert rejected.status_code == 303
    carol_facts = (await graph.relationships(carol.account_id, [alice.account_id]))[0]
    assert not carol_facts.following
    assert not carol_facts.requested
    after = await web.get("/notifications")
    assert "asked to follow you" not in after.text
    # Answering a request that is no longer pending is a 404 page, not an error.
    again = await submit(web, authorize, page="/notifications")
    assert again.status_code == 404
    assert (
        await submit(web, "/web/follow_requests/abc/reject", page="/notifications")
    ).status_code == 404


async def test_mark_all_as_read_moves_the_marker_forward_only(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await post(web_components, bob, "@alice first")
    await post(web_components, bob, "@alice second")
    await sign_in(web, web_components, alice)

    page = await web.get("/notifications")
    ids = _notification_ids(page.text)
    assert len(ids) == 2
    assert page.text.count("notification--unread") == 2
    assert f'name="last_read_id" value="{ids[0]}"' in page.text

    assert (
        await web.post("/web/notifications/read", data={"last_read_id": str(ids[0])})
    ).status_code == 403
    done = await submit(
        web, "/web/notifications/read", {"last_read_id": str(ids[0])}, page="/notifications"
    )
    assert done.status_code == 303
    markers = web_components.services.member_settings
    assert (await markers.markers(alice.account_id, ["notifications"]))[
        "notifications"
    ].last_read_id == ids[0]
    after = await web.get("/notifications")
    assert "notification--unread" not in after.text
    assert "Mark all as read" not in after.text

    # An older position sent later (a stale tab) does not make notifications unread again.
    await submit(
        web, "/web/notifications/read", {"last_read_id": str(ids[1])}, page="/notifications"
    )
    assert (await markers.markers(alice.account_id, ["notifications"]))[
        "notifications"
    ].last_read_id == ids[0]


async def test_long_lists_page_with_max_id(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    for number in range(23):
        own = await post(web_components, alice, f"note {number}")
        await web_components.services.statuses.favourite(int(own), bob.account_id)

    await sign_in(web, web_components, alice)
    first = await web.get("/notifications")
    first_ids = _notification_ids(first.text)
    assert len(first_ids) == 20
    match = re.search(
        r'href="(/notifications\?max_id=(\d+))" data-load-more rel="next"', first.text
    )
    assert match
    assert int(match.group(2)) == first_ids[-1]
    second = await web.get(match.group(1))
    second_ids = _notification_ids(second.text)
    assert len(second_ids) == 3
    assert max(second_ids) < min(first_ids)
    assert "data-load-more" not in second.text
    assert "Mark all as read" not in second.text  # only the first page offers it


async def test_visitors_are_sent_to_sign_in(web: httpx.AsyncClient) -> None:
    response = await web.get("/notifications")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/auth/sign_in?next=%2Fnotifications")
    token = await csrf_token(web)
    refused = await web.post("/web/notifications/read", data={"authenticity_token": token})
    assert refused.status_code == 303
