"""Posting from the browser: the compose form without JavaScript (multipart POST), with
content warnings, visibility, images with alt text, polls, replies; drafts kept on errors;
CSRF and double submits."""

from __future__ import annotations

import io
import re
from html import unescape
from typing import Any

import httpx
from PIL import Image

from godwit.app import Components
from tests.factories import Member, make_member
from tests.media.images import jpeg_with_gps, png
from tests.web.pages import csrf_token, sign_in

_KEY_RE = re.compile(r'name="idempotency_key" value="([^"]+)"')


async def member_signed_in(web: httpx.AsyncClient, components: Components, name: str) -> Member:
    member = await make_member(components, name)
    await sign_in(web, components, member)
    return member


async def form_fields(web: httpx.AsyncClient, page: str = "/home") -> dict[str, str]:
    """The hidden fields a compose form carries (CSRF token, idempotency key)."""
    html = (await web.get(page)).text
    key = _KEY_RE.search(html)
    assert key, "no compose form on " + page
    return {
        "authenticity_token": await csrf_token(web, page),
        "idempotency_key": unescape(key.group(1)),
        "return_to": "/home",
        "visibility": "public",
    }


async def compose(
    web: httpx.AsyncClient,
    data: dict[str, Any],
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
    *,
    page: str = "/home",
) -> httpx.Response:
    fields = {**(await form_fields(web, page)), **data}
    # A browser sends every file input, chosen or not: empty parts for the untouched ones.
    parts = files or [("media_1", ("", b"", "application/octet-stream"))]
    return await web.post("/web/statuses", data=fields, files=parts)


async def statuses_of(web: httpx.AsyncClient, member: Member) -> list[dict[str, Any]]:
    response = await web.get(
        f"/api/v1/accounts/{member.account_id}/statuses", headers=member.headers
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def test_a_post_with_content_warning_and_visibility(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await member_signed_in(web, web_components, "alice")
    home = await web.get("/home")
    assert 'action="/web/statuses"' in home.text
    assert 'enctype="multipart/form-data"' in home.text
    assert "500 of 500 characters left" in home.text  # the server's limit, shown

    response = await compose(
        web,
        {"status": "Spoilers for the finale", "spoiler_text": "TV", "visibility": "unlisted"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/home?notice=posted"

    [posted] = await statuses_of(web, alice)
    assert posted["content"] == "<p>Spoilers for the finale</p>"
    assert posted["spoiler_text"] == "TV"
    assert posted["visibility"] == "unlisted"
    assert posted["sensitive"] is True  # a content warning always hides the post


async def test_the_form_starts_from_the_members_posting_defaults(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    bea = await member_signed_in(web, web_components, "bea")
    changed = await web.patch(
        "/api/v1/accounts/update_credentials",
        data={"source[privacy]": "private", "source[sensitive]": "true"},
        headers=bea.headers,
    )
    assert changed.status_code == 200, changed.text
    home = (await web.get("/home")).text
    assert '<option value="private" data-hint="Only your followers can see it." selected>' in home
    assert re.search(r'name="sensitive" value="1" checked', home)


async def test_images_with_alt_text_become_attachments_without_metadata(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    carol = await member_signed_in(web, web_components, "carol")
    response = await compose(
        web,
        {
            "status": "Two flags",
            "description_1": "A red and blue flag",
            "description_2": "A green square",
            "sensitive": "1",
        },
        files=[
            ("media_1", ("flag.jpg", jpeg_with_gps((120, 60)), "image/jpeg")),
            ("media_2", ("square.png", png(), "image/png")),
            ("media_3", ("", b"", "application/octet-stream")),
        ],
    )
    assert response.status_code == 303, response.text

    [posted] = await statuses_of(web, carol)
    assert posted["sensitive"] is True
    flag, square = posted["media_attachments"]
    assert flag["description"] == "A red and blue flag"
    assert square["description"] == "A green square"
    served = await web.get(flag["url"].replace("https://godwit.test", ""))
    assert served.status_code == 200
    for secret in (b"SecretCamera", b"secret-xmp-author", b"secret-comment", b"Exif\x00"):
        assert secret not in served.content
    assert len(Image.open(io.BytesIO(served.content)).getexif()) == 0

    # The post's page shows them with their alt text.
    page = (await web.get(f"/@carol/{posted['id']}")).text
    assert 'alt="A red and blue flag"' in page


async def test_a_poll(web: httpx.AsyncClient, web_components: Components) -> None:
    dan = await member_signed_in(web, web_components, "dan")
    response = await compose(
        web,
        {
            "status": "Tea or coffee?",
            "poll_options": ["Tea", "Coffee", "Water", ""],
            "poll_expires_in": "3600",
            "poll_multiple": "1",
        },
    )
    assert response.status_code == 303, response.text
    [posted] = await statuses_of(web, dan)
    poll = posted["poll"]
    assert [option["title"] for option in poll["options"]] == ["Tea", "Coffee", "Water"]
    assert poll["multiple"] is True
    assert poll["expires_at"] is not None


async def test_a_bad_poll_is_refused_with_the_draft_kept(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    erin = await member_signed_in(web, web_components, "erin")
    response = await compose(
        web, {"status": "Which one?", "poll_options": ["Only one", "", "", ""]}
    )
    assert response.status_code == 422
    assert "Which one?</textarea>" in response.text
    assert 'value="Only one"' in response.text
    assert 'id="compose-poll-error"' in response.text
    assert await statuses_of(web, erin) == []


async def test_a_post_too_long_is_shown_again_with_everything_kept(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    fay = await member_signed_in(web, web_components, "fay")
    long_text = "<b>word</b> " * 60  # 720 characters, hostile markup included
    response = await compose(
        web,
        {
            "status": long_text,
            "spoiler_text": "long",
            "visibility": "private",
            "description_1": "A flag",
        },
        files=[("media_1", ("flag.jpg", jpeg_with_gps(), "image/jpeg"))],
    )
    assert response.status_code == 422
    page = response.text
    assert "over the limit of 500" in page
    assert "&lt;b&gt;word&lt;/b&gt;" in page
    assert "<b>word</b>" not in page
    assert 'value="long"' in page
    assert '<option value="private" data-hint="Only your followers can see it." selected>' in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="compose-text-error' in page
    # The image was uploaded once and is kept (with its alt text) for the next try.
    kept = re.search(r'name="media_id_1" value="(\d+)"', page)
    assert kept, "the uploaded image was not kept"
    assert ">A flag</textarea>" in page
    assert await statuses_of(web, fay) == []

    key = _KEY_RE.search(page)
    assert key
    token = await csrf_token(web, "/home")
    again = await web.post(
        "/web/statuses",
        data={
            "authenticity_token": token,
            "idempotency_key": key.group(1),
            "return_to": "/home",
            "status": "Short now",
            "visibility": "private",
            "media_id_1": kept.group(1),
            "description_1": "A red and blue flag",
        },
        files=[("media_1", ("", b"", "application/octet-stream"))],
    )
    assert again.status_code == 303, again.text
    [posted] = await statuses_of(web, fay)
    assert posted["visibility"] == "private"
    [attachment] = posted["media_attachments"]
    assert attachment["id"] == kept.group(1)
    assert attachment["description"] == "A red and blue flag"  # the edited alt text


async def test_a_file_that_is_not_an_image_is_named_and_the_text_kept(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    gus = await member_signed_in(web, web_components, "gus")
    response = await compose(
        web,
        {"status": "Look at this"},
        files=[("media_1", ("notes.jpg", b"this is not an image at all", "image/jpeg"))],
    )
    assert response.status_code == 422
    assert "Image 1 could not be used" in response.text
    assert "Look at this</textarea>" in response.text
    assert await statuses_of(web, gus) == []


async def test_a_poll_and_images_together_are_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await member_signed_in(web, web_components, "hal")
    response = await compose(
        web,
        {"status": "Both", "poll_options": ["A", "B", "", ""], "poll_expires_in": "3600"},
        files=[("media_1", ("a.png", png(), "image/png"))],
    )
    assert response.status_code == 422
    assert "images or a poll, not both" in response.text


async def test_a_form_without_its_csrf_token_is_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    ivy = await member_signed_in(web, web_components, "ivy")
    await web.get("/home")  # the CSRF cookie is set, but the form field is missing
    response = await web.post(
        "/web/statuses",
        data={"status": "forged", "visibility": "public"},
        files=[("media_1", ("", b"", "application/octet-stream"))],
    )
    assert response.status_code == 403
    forged = await web.post(
        "/web/statuses",
        data={"status": "forged", "authenticity_token": "0" * 64},
    )
    assert forged.status_code == 403
    assert await statuses_of(web, ivy) == []


async def test_a_double_submit_posts_once(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    jo = await member_signed_in(web, web_components, "jo")
    fields = {**(await form_fields(web)), "status": "Only once, please"}
    first = await web.post("/web/statuses", data=fields)
    second = await web.post("/web/statuses", data=fields)
    assert first.status_code == second.status_code == 303
    assert [s["content"] for s in await statuses_of(web, jo)] == ["<p>Only once, please</p>"]
    # A new page load gives a new key: the next post is a new post.
    assert (await form_fields(web))["idempotency_key"] != fields["idempotency_key"]


async def test_a_reply_shows_the_post_it_answers_and_threads_under_it(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    kim = await make_member(web_components, "kim")
    original = await web.post(
        "/api/v1/statuses",
        json={"status": "Followers: <script>alert(1)</script> what now?", "visibility": "private"},
        headers=kim.headers,
    )
    assert original.status_code == 200
    parent = original.json()
    lee = await member_signed_in(web, web_components, "lee")
    followed = await web.post(f"/api/v1/accounts/{kim.account_id}/follow", headers=lee.headers)
    assert followed.status_code == 200

    page = await web.get(f"/compose?in_reply_to_id={parent['id']}")
    assert page.status_code == 200
    assert 'class="compose__reply"' in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert" not in page.text
    assert "@kim </textarea>" in page.text  # the reply starts with the mention
    # Followers-only is the narrowest of the member's default and the post's own.
    assert '<option value="private" data-hint="Only your followers can see it." selected>' in (
        page.text
    )

    thread = f"/@kim/{parent['id']}"
    assert f'name="return_to" value="{thread}"' in page.text
    fields = await form_fields(web, f"/compose?in_reply_to_id={parent['id']}")
    response = await web.post(
        "/web/statuses",
        data={
            **fields,
            "status": "@kim Let us see",
            "in_reply_to_id": parent["id"],
            "return_to": thread,
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{thread}?notice=posted"
    [reply] = await statuses_of(web, lee)
    assert reply["in_reply_to_id"] == parent["id"]


async def test_a_reply_to_a_post_that_is_gone_keeps_the_draft(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await member_signed_in(web, web_components, "max")
    response = await compose(web, {"status": "Answer", "in_reply_to_id": "123456789"})
    assert response.status_code == 422
    assert "no longer available" in response.text
    assert "Answer</textarea>" in response.text


async def test_visitors_are_sent_to_sign_in(web: httpx.AsyncClient) -> None:
    token = await csrf_token(web, "/auth/sign_in")
    response = await web.post(
        "/web/statuses", data={"authenticity_token": token, "status": "hello"}
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/auth/sign_in")
    assert (await web.get("/compose")).status_code == 303
