"""The buttons under a post: plain form posts redirect back; the script's requests
(Accept: application/json) get the post's new state to show in place."""

from __future__ import annotations

import httpx

from godwit.app import Components
from tests.factories import Member, make_member
from tests.web.pages import csrf_token, sign_in

JSON = {"Accept": "application/json"}


async def a_post(web: httpx.AsyncClient, author: Member, text: str = "Hello") -> str:
    response = await web.post("/api/v1/statuses", json={"status": text}, headers=author.headers)
    assert response.status_code == 200, response.text
    status_id: str = response.json()["id"]
    return status_id


async def test_toggles_answer_their_new_state_as_json(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    author, reader = (
        await make_member(web_components, "author"),
        await make_member(web_components, "reader"),
    )
    status_id = await a_post(web, author)
    await sign_in(web, web_components, reader)
    form = {"authenticity_token": await csrf_token(web, "/public/local"), "return_to": "/home"}

    async def act(action: str) -> dict[str, object]:
        response = await web.post(f"/web/statuses/{status_id}/{action}", data=form, headers=JSON)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/json")
        state: dict[str, object] = response.json()
        return state

    assert await act("favourite") == {
        "id": status_id,
        "pressed": True,
        "count": 1,
        "action": "unfavourite",
    }
    assert await act("unfavourite") == {
        "id": status_id,
        "pressed": False,
        "count": 0,
        "action": "favourite",
    }
    # Boosting answers the boosted post's state, not the new boost's.
    assert await act("reblog") == {
        "id": status_id,
        "pressed": True,
        "count": 1,
        "action": "unreblog",
    }
    assert await act("bookmark") == {
        "id": status_id,
        "pressed": True,
        "count": None,
        "action": "unbookmark",
    }
    status = await web.get(f"/api/v1/statuses/{status_id}", headers=reader.headers)
    assert status.json()["favourited"] is False
    assert status.json()["reblogged"] is True
    assert status.json()["bookmarked"] is True


async def test_plain_forms_go_back_to_the_post(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    author, reader = (
        await make_member(web_components, "poster"),
        await make_member(web_components, "liker"),
    )
    status_id = await a_post(web, author)
    await sign_in(web, web_components, reader)
    token = await csrf_token(web, "/public/local")
    response = await web.post(
        f"/web/statuses/{status_id}/favourite",
        data={"authenticity_token": token, "return_to": "/public/local"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/public/local#status-{status_id}"


async def test_without_a_csrf_token_nothing_happens(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    author, reader = (
        await make_member(web_components, "writer"),
        await make_member(web_components, "forger"),
    )
    status_id = await a_post(web, author)
    await sign_in(web, web_components, reader)
    await web.get("/home")
    response = await web.post(f"/web/statuses/{status_id}/favourite", data={}, headers=JSON)
    assert response.status_code == 403
    shown = await web.get(f"/api/v1/statuses/{status_id}", headers=reader.headers)
    assert shown.json()["favourites_count"] == 0


async def test_deleting_from_the_posts_own_page_goes_home(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    author = await make_member(web_components, "deleter")
    status_id = await a_post(web, author)
    await sign_in(web, web_components, author)
    token = await csrf_token(web, "/home")
    response = await web.post(
        f"/web/statuses/{status_id}/delete",
        data={"authenticity_token": token, "return_to": f"/@deleter/{status_id}"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/home?notice=deleted"
    other = await a_post(web, author, "Another")
    kept = await web.post(
        f"/web/statuses/{other}/delete",
        data={"authenticity_token": token, "return_to": f"/@deleter/{other}0"},
    )
    assert kept.headers["location"] == f"/@deleter/{other}0?notice=deleted"
