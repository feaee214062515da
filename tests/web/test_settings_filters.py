"""Settings → Filters: create, edit and delete v2 filters through FilterService."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from godwit.app import Components
from tests.factories import Member, make_member
from tests.web.pages import sign_in, submit

PAGE = "/settings/filters"


async def _filters(web: httpx.AsyncClient, member: Member) -> list[dict[str, Any]]:
    response = await web.get("/api/v2/filters", headers=member.headers)
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


def _form(**changes: str | list[str]) -> dict[str, str | list[str]]:
    form: dict[str, str | list[str]] = {
        "title": "Spoilers",
        "action": "warn",
        "context": ["home", "public"],
        "expires": "0",
        "keywords-0-keyword": "",
        "keywords-0-whole_word": "1",
        "keywords-1-keyword": "",
        "keywords-1-whole_word": "1",
        "keywords-2-keyword": "",
        "keywords-2-whole_word": "1",
    }
    form.update(changes)
    return form


async def test_a_filter_made_on_the_page_is_the_api_filter(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    assert "You have no filters yet." in (await web.get(PAGE)).text
    new = await web.get(f"{PAGE}/new")
    assert new.status_code == 200
    assert new.text.count('name="keywords-') >= 6  # three empty keyword rows

    created = await submit(
        web,
        PAGE,
        _form(
            title="Football",
            action="hide",
            expires="86400",
            **{
                "keywords-0-keyword": "match",
                "keywords-1-keyword": "offside",
                "keywords-1-whole_word": "",
            },
        ),
        page=f"{PAGE}/new",
    )
    assert created.status_code == 303
    assert created.headers["location"] == f"{PAGE}?notice=saved"

    (flt,) = await _filters(web, alice)
    assert flt["title"] == "Football"
    assert flt["filter_action"] == "hide"
    assert flt["context"] == ["home", "public"]
    assert [(k["keyword"], k["whole_word"]) for k in flt["keywords"]] == [
        ("match", True),
        ("offside", False),
    ]
    expires = dt.datetime.fromisoformat(flt["expires_at"].replace("Z", "+00:00"))
    in_a_day = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert abs((expires - in_a_day).total_seconds()) < 120

    listing = await web.get(PAGE)
    assert "Football" in listing.text
    assert "Hide completely" in listing.text
    assert "offside" in listing.text


async def test_the_filter_hides_matching_posts_from_the_home_timeline(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await web_components.services.graph.follow(alice.account_id, bob.account_id)
    await sign_in(web, web_components, alice)
    await submit(
        web,
        PAGE,
        _form(title="Cats", action="hide", **{"keywords-0-keyword": "cats"}),
        page=f"{PAGE}/new",
    )
    for text in ("bob likes cats", "bob likes birds"):
        posted = await web.post("/api/v1/statuses", headers=bob.headers, data={"status": text})
        assert posted.status_code == 200
    await web_components.job_runner.run_until_idle(max_seconds=30)  # the fan-out to homes
    home = await web.get("/api/v1/timelines/home", headers=alice.headers)
    contents = " ".join(status["content"] for status in home.json())
    assert "bob likes birds" in contents
    assert "bob likes cats" not in contents


async def test_editing_changes_keywords_and_keeps_the_expiry(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    await submit(
        web,
        PAGE,
        _form(
            expires="3600",
            **{"keywords-0-keyword": "finale", "keywords-1-keyword": "ending"},
        ),
        page=f"{PAGE}/new",
    )
    (before,) = await _filters(web, alice)
    edit_page = f"{PAGE}/{before['id']}"
    page = await web.get(edit_page)
    assert page.status_code == 200
    assert 'value="finale"' in page.text
    assert "Keep as now" in page.text
    first, second = before["keywords"]

    saved = await submit(
        web,
        edit_page,
        {
            "title": "Show spoilers",
            "action": "warn",
            "context": ["home", "thread"],
            "expires": "keep",
            "keywords-0-id": first["id"],
            "keywords-0-keyword": "season finale",
            "keywords-0-whole_word": "1",
            "keywords-1-id": second["id"],
            "keywords-1-keyword": "ending",
            "keywords-1-remove": "1",
            "keywords-2-keyword": "twist",
        },
        page=edit_page,
    )
    assert saved.status_code == 303
    (after,) = await _filters(web, alice)
    assert after["title"] == "Show spoilers"
    assert after["context"] == ["home", "thread"]
    assert after["expires_at"] == before["expires_at"]
    assert [(k["keyword"], k["whole_word"]) for k in after["keywords"]] == [
        ("season finale", True),
        ("twist", False),
    ]


async def test_refused_filters_come_back_with_what_was_typed(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    refused = await submit(
        web,
        PAGE,
        _form(title="<b>Mine</b>", context=[], **{"keywords-0-keyword": "<script>x</script>"}),
        page=f"{PAGE}/new",
    )
    assert refused.status_code == 422
    assert "Where it applies can&#39;t be blank" in refused.text
    assert 'aria-describedby="context-error"' in refused.text
    assert 'value="&lt;b&gt;Mine&lt;/b&gt;"' in refused.text
    assert 'value="&lt;script&gt;x&lt;/script&gt;"' in refused.text
    assert "<script>x" not in refused.text
    no_title = await submit(web, PAGE, _form(title="  "), page=f"{PAGE}/new")
    assert no_title.status_code == 422
    assert "Title can&#39;t be blank" in no_title.text
    assert await _filters(web, alice) == []


async def test_deleting_and_other_members_filters(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    theirs = await web.post(
        "/api/v2/filters",
        headers=bob.headers,
        data={"title": "Bob's", "context[]": "home", "keywords_attributes[][keyword]": "x"},
    )
    assert theirs.status_code == 200
    await sign_in(web, web_components, alice)
    await submit(web, PAGE, _form(**{"keywords-0-keyword": "spoiler"}), page=f"{PAGE}/new")
    (mine,) = await _filters(web, alice)

    bobs_id = theirs.json()["id"]
    assert (await web.get(f"{PAGE}/{bobs_id}")).status_code == 404
    assert (await submit(web, f"{PAGE}/{bobs_id}/delete", page=PAGE)).status_code == 404
    assert (await submit(web, f"{PAGE}/{bobs_id}", _form(), page=PAGE)).status_code == 404
    assert len(await _filters(web, bob)) == 1

    assert (await web.post(f"{PAGE}/{mine['id']}/delete")).status_code == 403  # no CSRF token
    deleted = await submit(web, f"{PAGE}/{mine['id']}/delete", page=PAGE)
    assert deleted.status_code == 303
    assert deleted.headers["location"] == f"{PAGE}?notice=filter_deleted"
    assert await _filters(web, alice) == []
