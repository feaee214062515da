"""Settings → Profile: the same rules and media processing as update_credentials."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from PIL import ExifTags, Image

from godwit.app import Components
from tests.factories import Member, make_member
from tests.media.images import jpeg_with_gps, png
from tests.web.pages import csrf_token, sign_in, submit

PAGE = "/settings/profile"


async def _me(web: httpx.AsyncClient, member: Member) -> dict[str, object]:
    response = await web.get("/api/v1/accounts/verify_credentials", headers=member.headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def _profile_form(**changes: str) -> dict[str, str]:
    form = {
        "display_name": "Alice",
        "note": "",
        **{f"field_{part}_{index}": "" for index in range(4) for part in ("name", "value")},
    }
    form.update(changes)
    return form


async def test_the_form_saves_what_the_api_then_shows(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await make_member(web_components, "bob")
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    page = await web.get(PAGE)
    assert page.status_code == 200
    assert 'aria-current="page"' in page.text  # the settings navigation marks this section
    assert 'enctype="multipart/form-data"' in page.text

    saved = await submit(
        web,
        PAGE,
        _profile_form(
            display_name="Alice Liddell",
            note="Hello @bob\nsee https://example.org",
            field_name_0="Website",
            field_value_0="https://alice.example",
            field_name_2="Pronouns",
            field_value_2="she/her",
            bot="1",
        ),
        page=PAGE,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{PAGE}?notice=saved"

    me = await _me(web, alice)
    assert me["display_name"] == "Alice Liddell"
    assert me["bot"] is True
    source = me["source"]
    assert isinstance(source, dict)
    assert source["note"] == "Hello @bob\nsee https://example.org"
    assert [(f["name"], f["value"]) for f in source["fields"]] == [
        ("Website", "https://alice.example"),
        ("Pronouns", "she/her"),
    ]
    assert "/@bob" in str(me["note"])  # the bio was rendered as the API renders it

    shown = await web.get(f"{PAGE}?notice=saved")
    assert "Your changes were saved." in shown.text
    assert 'value="Alice Liddell"' in shown.text
    assert 'value="she/her"' in shown.text
    assert 'id="bot" name="bot" value="1" checked' in shown.text


async def test_an_avatar_loses_its_gps_and_camera_data_and_can_be_removed(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    original = jpeg_with_gps((600, 500))
    assert b"SecretCamera" in original

    saved = await submit(
        web,
        PAGE,
        _profile_form(),
        page=PAGE,
        files={
            "avatar": ("me.jpg", original, "image/jpeg"),
            "header": ("banner.png", png((1600, 600), "RGB"), "image/png"),
        },
    )
    assert saved.status_code == 303, saved.text

    me = await _me(web, alice)
    avatar = await web.get(urlsplit(str(me["avatar"])).path)
    assert avatar.status_code == 200
    for secret in (b"SecretCamera", b"secret-xmp-author", b"secret-comment", b"Exif\x00"):
        assert secret not in avatar.content
    with Image.open(io.BytesIO(avatar.content)) as image:
        assert image.size == (400, 400)
        assert ExifTags.IFD.GPSInfo not in image.getexif()
    header = await web.get(urlsplit(str(me["header"])).path)
    assert header.status_code == 200

    page = await web.get(PAGE)
    assert 'alt="Your current avatar"' in page.text
    assert str(me["avatar"]) in page.text
    assert 'action="/settings/profile/avatar/delete"' in page.text

    removed = await submit(web, f"{PAGE}/avatar/delete", page=PAGE)
    assert removed.status_code == 303
    after = await _me(web, alice)
    assert str(after["avatar"]).endswith("/static/avatar-missing.png")
    assert after["header"] == me["header"]  # only the avatar went
    assert 'action="/settings/profile/avatar/delete"' not in (await web.get(PAGE)).text


async def test_refused_input_comes_back_with_messages_and_nothing_is_saved(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    long_name = "<b>" + "x" * 40
    refused = await submit(
        web,
        PAGE,
        _profile_form(
            display_name=long_name,
            note="A bio I took time to write",
            field_name_1="Label",
            field_value_1="v" * 300,
        ),
        page=PAGE,
    )
    assert refused.status_code == 422
    html = refused.text
    assert 'role="alert"' in html
    assert "Display name is too long (maximum is 30 characters)" in html
    assert 'aria-invalid="true" aria-describedby="display_name-error' in html
    assert "is too long (maximum is 255 characters)" in html
    # Everything typed is still there, escaped.
    assert 'value="&lt;b&gt;' + "x" * 40 + '"' in html
    assert "A bio I took time to write</textarea>" in html
    assert 'value="Label"' in html
    assert ("v" * 300) in html
    assert (await _me(web, alice))["display_name"] == "Alice"


async def test_a_refused_image_keeps_the_form_and_leaves_no_files_behind(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    refused = await submit(
        web,
        PAGE,
        _profile_form(display_name="New name", note="kept"),
        page=PAGE,
        files={
            "avatar": ("fake.jpg", b"this is not an image at all", "image/jpeg"),
            "header": ("banner.png", png((1600, 600), "RGB"), "image/png"),
        },
    )
    assert refused.status_code == 422
    assert "The avatar could not be processed as an image" in refused.text
    assert 'value="New name"' in refused.text
    assert "Choose pictures again" in refused.text
    me = await _me(web, alice)
    assert me["display_name"] == "Alice"
    assert str(me["header"]).endswith("/static/header-missing.png")
    # The header that was processed for the refused form was deleted again.
    assert _stored_files(Path(web_components.settings.media_dir)) == []


async def test_html_in_the_bio_and_fields_is_inert_when_shown_in_the_form(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    payload = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'
    saved = await submit(
        web,
        PAGE,
        _profile_form(display_name='"><svg onload=alert(3)>', note=payload, field_value_0=payload),
        page=PAGE,
    )
    assert saved.status_code == 303
    page = await web.get(PAGE)
    assert "<script>alert(2)" not in page.text
    assert "<img src=x" not in page.text
    assert "<svg onload" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;&#34;&gt;&lt;script&gt;" in page.text
    # The profile page that others see renders the bio sanitised, too.
    me = await _me(web, alice)
    assert "<script" not in str(me["note"])


async def test_posts_without_the_csrf_token_or_a_session_are_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    assert (await web.get(PAGE)).headers["location"].startswith("/auth/sign_in?next=")
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    forged = await web.post(PAGE, data=_profile_form(display_name="Forged"))
    assert forged.status_code == 403
    wrong = await web.post(
        PAGE, data={**_profile_form(display_name="Forged"), "authenticity_token": "x" * 64}
    )
    assert wrong.status_code == 403
    assert (await _me(web, alice))["display_name"] == "Alice"
    token = await csrf_token(web, PAGE)
    removal = await web.post(f"{PAGE}/avatar/delete", data={})
    assert removal.status_code == 403
    assert token  # the page's forms do carry a token
