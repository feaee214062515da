"""Lists: make one, add and remove people, edit, delete; nobody else's list is visible."""

from __future__ import annotations

import re

import httpx

from godwit.app import Components
from godwit.domain.lists import RepliesPolicy
from tests.factories import Member, make_member
from tests.web.pages import sign_in, submit
from tests.web.social import XSS_NAME, XSS_TEXT, post, rename


async def _list_of(components: Components, owner: Member, title: str = "Birders") -> int:
    made = await components.services.lists.create(
        owner.account_id, title, RepliesPolicy.LIST, False
    )
    return made.id


async def test_a_member_creates_a_list_from_the_form(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    page = await web.get("/lists")
    assert page.status_code == 200
    assert "You have no lists yet" in page.text
    assert '<label for="new-list-title">Title</label>' in page.text

    refused = await web.post("/web/lists", data={"title": "Sneaky"})
    assert refused.status_code == 403
    assert await web_components.services.lists.owned(alice.account_id) == []

    done = await submit(
        web,
        "/web/lists",
        {"title": "Shorebirds", "replies_policy": "followed", "exclusive": "1"},
        page="/lists",
    )
    assert done.status_code == 303
    (made,) = await web_components.services.lists.owned(alice.account_id)
    assert done.headers["location"] == f"/lists/{made.id}?notice=list_created"
    assert made.title == "Shorebirds"
    assert made.replies_policy is RepliesPolicy.FOLLOWED
    assert made.exclusive
    index = await web.get("/lists")
    assert f'href="/lists/{made.id}"' in index.text
    assert "Shorebirds" in index.text


async def test_a_blank_title_is_refused_beside_its_field(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    response = await submit(
        web, "/web/lists", {"title": "   ", "replies_policy": "list"}, page="/lists"
    )
    assert response.status_code == 422
    assert 'aria-describedby="new-list-title-error"' in response.text
    assert "Title can&#39;t be blank" in response.text
    bad_policy = await submit(
        web, "/web/lists", {"title": "Ok", "replies_policy": "everyone"}, page="/lists"
    )
    assert bad_policy.status_code == 422
    assert "new-list-policy-error" in bad_policy.text
    assert await web_components.services.lists.owned(alice.account_id) == []


async def test_members_are_added_from_people_followed_and_removed(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await make_member(web_components, "bobby")  # not followed: never offered
    await web_components.services.graph.follow(alice.account_id, bob.account_id)
    list_id = await _list_of(web_components, alice)
    await post(web_components, bob, "Avocets at dawn")
    await sign_in(web, web_components, alice)

    found = await web.get(f"/lists/{list_id}?q=bob")
    assert found.status_code == 200
    assert 'href="/@bob"' in found.text
    assert 'href="/@bobby"' not in found.text
    assert f'name="account_id" value="{bob.account_id}"' in found.text

    back = f"/lists/{list_id}?q=bob"
    refused = await web.post(
        f"/web/lists/{list_id}/accounts", data={"account_id": str(bob.account_id)}
    )
    assert refused.status_code == 403
    added = await submit(
        web,
        f"/web/lists/{list_id}/accounts",
        {"account_id": str(bob.account_id), "return_to": back},
        page=back,
    )
    assert added.status_code == 303
    assert added.headers["location"].startswith(back)
    page = await web.get(f"/lists/{list_id}")
    assert "Avocets at dawn" in page.text  # the list timeline shows the member's post
    assert f'data-live="list:{list_id}"' in page.text
    assert "1 member" in page.text
    assert f'action="/web/lists/{list_id}/accounts/remove"' in page.text

    stranger = await make_member(web_components, "stranger")
    not_followed = await submit(
        web,
        f"/web/lists/{list_id}/accounts",
        {"account_id": str(stranger.account_id)},
        page=f"/lists/{list_id}",
    )
    assert not_followed.status_code == 422

    removed = await submit(
        web,
        f"/web/lists/{list_id}/accounts/remove",
        {"account_id": str(bob.account_id)},
        page=f"/lists/{list_id}",
    )
    assert removed.status_code == 303
    members = await web_components.services.lists.members(alice.account_id, list_id, None)
    assert members == []


async def test_settings_are_edited_and_the_list_deleted(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    list_id = await _list_of(web_components, alice)
    await sign_in(web, web_components, alice)
    page = f"/lists/{list_id}"
    saved = await submit(
        web, f"/web/lists/{list_id}", {"title": "Waders", "replies_policy": "none"}, page=page
    )
    assert saved.status_code == 303
    found = await web_components.services.lists.get(alice.account_id, list_id)
    assert found.title == "Waders"
    assert found.replies_policy is RepliesPolicy.NONE
    assert not found.exclusive

    blank = await submit(web, f"/web/lists/{list_id}", {"title": ""}, page=page)
    assert blank.status_code == 422
    assert 'aria-describedby="edit-list-title-error"' in blank.text
    assert (await web_components.services.lists.get(alice.account_id, list_id)).title == "Waders"

    assert (await web.post(f"/web/lists/{list_id}/delete")).status_code == 403
    deleted = await submit(web, f"/web/lists/{list_id}/delete", page=page)
    assert deleted.status_code == 303
    assert deleted.headers["location"] == "/lists?notice=list_deleted"
    assert (await web.get(page)).status_code == 404


async def test_another_members_list_is_not_found(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    mallory = await make_member(web_components, "mallory")
    list_id = await _list_of(web_components, alice, "Alice's secret list")
    await sign_in(web, web_components, mallory)
    page = await web.get(f"/lists/{list_id}")
    assert page.status_code == 404
    assert "secret list" not in page.text
    assert "secret list" not in (await web.get("/lists")).text
    for path, data in (
        (f"/web/lists/{list_id}", {"title": "Hijacked"}),
        (f"/web/lists/{list_id}/delete", {}),
        (f"/web/lists/{list_id}/accounts/remove", {"account_id": str(alice.account_id)}),
    ):
        response = await submit(web, path, data, page="/lists")
        assert response.status_code == 404, path
    assert (await web_components.services.lists.get(alice.account_id, list_id)).title == (
        "Alice's secret list"
    )


async def test_malformed_ids_are_not_found(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    for path in ("/lists/abc", "/lists/0", "/lists/99999999999999999999", "/lists/123"):
        assert (await web.get(path)).status_code == 404, path
    response = await submit(web, "/web/lists/abc/delete", page="/lists")
    assert response.status_code == 404
    list_id = await _list_of(web_components, alice)
    bad_account = await submit(
        web, f"/web/lists/{list_id}/accounts", {"account_id": "x"}, page="/lists"
    )
    assert bad_account.status_code == 404


async def test_names_titles_and_posts_are_inert(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    mallory = await make_member(web_components, "mallory")
    await rename(web_components, mallory, XSS_NAME)
    await web_components.services.graph.follow(alice.account_id, mallory.account_id)
    list_id = await _list_of(web_components, alice, "<script>alert('title')</script>")
    await web_components.services.lists.add_members(alice.account_id, list_id, [mallory.account_id])
    await post(web_components, mallory, XSS_TEXT)
    await sign_in(web, web_components, alice)
    for path in ("/lists", f"/lists/{list_id}", f"/lists/{list_id}?q=mallory"):
        page = await web.get(path)
        assert page.status_code == 200
        assert "<script>alert" not in page.text, path
        assert "<img src=x" not in page.text, path
    assert re.search(r"&lt;script&gt;alert\(&#39;title&#39;\)", page.text)


async def test_visitors_are_sent_to_sign_in(web: httpx.AsyncClient) -> None:
    for path in ("/lists", "/lists/123"):
        response = await web.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/auth/sign_in?next=")
