"""The follow, mute and block buttons: POST forms with CSRF, back to the page with a notice."""

from __future__ import annotations

import httpx

from godwit.app import Components
from godwit.domain.graph import Relationship
from tests.factories import Member, make_member
from tests.web.pages import sign_in, submit
from tests.web.profile_helpers import post


async def _relationship(components: Components, viewer: Member, target: Member) -> Relationship:
    (rel,) = await components.services.graph.relationships(viewer.account_id, [target.account_id])
    return rel


async def _press(
    web: httpx.AsyncClient, target: Member, action: str, **fields: str
) -> httpx.Response:
    return await submit(
        web,
        f"/web/accounts/{target.account_id}/{action}",
        {"return_to": f"/@{target.username}", **fields},
        page=f"/@{target.username}",
    )


async def test_follow_then_unfollow_from_the_profile(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await sign_in(web, web_components, alice)

    followed = await _press(web, bob, "follow")

    assert followed.status_code == 303
    assert followed.headers["location"] == "/@bob?notice=followed"
    rel = await _relationship(web_components, alice, bob)
    assert rel.following
    page = await web.get(followed.headers["location"])
    assert "You follow this account now." in page.text
    assert f'action="/web/accounts/{bob.account_id}/unfollow"' in page.text
    assert f'action="/web/accounts/{bob.account_id}/follow"' not in page.text
    assert "<strong>1</strong> follower" in page.text

    unfollowed = await _press(web, bob, "unfollow")

    assert unfollowed.headers["location"] == "/@bob?notice=unfollowed"
    assert not (await _relationship(web_components, alice, bob)).following


async def test_a_locked_account_gets_a_request_that_can_be_withdrawn(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    lena = await make_member(web_components, "lena", locked=True)
    await sign_in(web, web_components, alice)

    asked = await _press(web, lena, "follow")

    assert asked.headers["location"] == "/@lena?notice=follow_requested"
    page = (await web.get("/@lena")).text
    assert "Cancel follow request" in page
    assert 'name="was" value="requested"' in page
    rel = await _relationship(web_components, alice, lena)
    assert rel.requested
    assert not rel.following

    withdrawn = await _press(web, lena, "unfollow", was="requested")

    assert withdrawn.headers["location"] == "/@lena?notice=follow_request_withdrawn"
    assert not (await _relationship(web_components, alice, lena)).requested


async def test_mute_with_a_duration_keeping_notifications_then_unmute(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await sign_in(web, web_components, alice)

    muted = await _press(web, bob, "mute", options="1", duration="3600")

    assert muted.headers["location"] == "/@bob?notice=muted"
    rel = await _relationship(web_components, alice, bob)
    assert rel.muting
    assert not rel.muting_notifications
    assert rel.muting_expires_at is not None
    page = (await web.get("/@bob")).text
    assert "Unmute @bob" in page
    assert ">Muted<" in page

    assert (await _press(web, bob, "unmute")).headers["location"] == "/@bob?notice=unmuted"
    assert not (await _relationship(web_components, alice, bob)).muting

    # A bare button (no options) mutes notifications too, for good: the API's defaults.
    await _press(web, bob, "mute")
    rel = await _relationship(web_components, alice, bob)
    assert rel.muting_notifications
    assert rel.muting_expires_at is None


async def test_block_hides_posts_and_offers_unblock(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await post(web_components, bob, "Bob's public musings")
    await web_components.services.graph.follow(bob.account_id, alice.account_id)
    await sign_in(web, web_components, alice)

    blocked = await _press(web, bob, "block")

    assert blocked.headers["location"] == "/@bob?notice=blocked"
    rel = await _relationship(web_components, alice, bob)
    assert rel.blocking
    assert not rel.followed_by
    page = (await web.get("/@bob")).text
    assert "Bob's public musings" not in page
    assert "You have blocked this account." in page
    assert f'action="/web/accounts/{bob.account_id}/unblock"' in page
    assert f'action="/web/accounts/{bob.account_id}/follow"' not in page

    assert (await _press(web, bob, "unblock")).headers["location"] == "/@bob?notice=unblocked"
    assert "Bob's public musings" in (await web.get("/@bob")).text


async def test_posts_without_a_csrf_token_are_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await sign_in(web, web_components, alice)

    for action in ("follow", "mute", "block"):
        bare = await web.post(f"/web/accounts/{bob.account_id}/{action}", data={})
        forged = await web.post(
            f"/web/accounts/{bob.account_id}/{action}", data={"authenticity_token": "forged"}
        )
        assert bare.status_code == forged.status_code == 403
        assert "The form has expired" in bare.text

    rel = await _relationship(web_components, alice, bob)
    assert not rel.following
    assert not rel.muting
    assert not rel.blocking


async def test_visitors_are_sent_to_sign_in(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    bob = await make_member(web_components, "bob")

    response = await web.post(f"/web/accounts/{bob.account_id}/follow", data={})

    assert response.status_code == 303
    assert response.headers["location"].startswith("/auth/sign_in?next=")


async def test_unknown_or_malformed_ids_are_a_404_page(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)

    for path in ("/web/accounts/12345/follow", "/web/accounts/abc/block", "/web/accounts/-1/mute"):
        response = await submit(web, path, page="/@alice")
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"]


async def test_return_to_cannot_leave_the_site(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await sign_in(web, web_components, alice)

    response = await submit(
        web,
        f"/web/accounts/{bob.account_id}/follow",
        {"return_to": "//evil.example/steal"},
        page="/@bob",
    )

    assert response.headers["location"] == "/@bob?notice=followed"


async def test_following_oneself_is_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)

    response = await _press(web, alice, "follow")

    assert response.status_code == 403
