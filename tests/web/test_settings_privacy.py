"""Settings → Privacy and posting: saved through update_credentials, read back by the API."""

from __future__ import annotations

import httpx

from godwit.app import Components
from tests.factories import Member, make_member
from tests.web.pages import sign_in, submit

PAGE = "/settings/privacy"


async def _api(web: httpx.AsyncClient, member: Member, path: str) -> dict[str, object]:
    response = await web.get(path, headers=member.headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_saved_choices_are_what_the_api_reports(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    page = await web.get(PAGE)
    assert page.status_code == 200
    assert 'id="privacy-public" name="privacy" value="public" checked' in page.text
    assert '<label for="locked">' in page.text

    saved = await submit(
        web,
        PAGE,
        {
            "locked": "1",
            "discoverable": "1",
            "privacy": "private",
            "sensitive": "1",
            "language": "de",
        },
        page=PAGE,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{PAGE}?notice=saved"

    preferences = await _api(web, alice, "/api/v1/preferences")
    assert preferences["posting:default:visibility"] == "private"
    assert preferences["posting:default:sensitive"] is True
    assert preferences["posting:default:language"] == "de"
    me = await _api(web, alice, "/api/v1/accounts/verify_credentials")
    assert me["locked"] is True
    assert me["discoverable"] is True
    assert me["indexable"] is False  # its box was left unticked

    page = await web.get(PAGE)
    assert 'id="locked" name="locked" value="1" checked' in page.text
    assert 'id="privacy-private" name="privacy" value="private" checked' in page.text
    assert '<option value="de" selected>' in page.text

    # Unticking a box turns the setting off; an empty language clears it.
    cleared = await submit(web, PAGE, {"privacy": "unlisted", "language": ""}, page=PAGE)
    assert cleared.status_code == 303
    me = await _api(web, alice, "/api/v1/accounts/verify_credentials")
    assert me["locked"] is False
    assert me["discoverable"] is False
    preferences = await _api(web, alice, "/api/v1/preferences")
    assert preferences["posting:default:visibility"] == "unlisted"
    assert preferences["posting:default:sensitive"] is False
    assert preferences["posting:default:language"] is None


async def test_a_locked_account_makes_follows_into_requests(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await sign_in(web, web_components, alice)
    assert (await submit(web, PAGE, {"locked": "1", "privacy": "public"}, page=PAGE)).is_redirect
    follow = await web.post(f"/api/v1/accounts/{alice.account_id}/follow", headers=bob.headers)
    assert follow.status_code == 200
    assert follow.json()["requested"] is True
    assert follow.json()["following"] is False


async def test_a_language_set_elsewhere_is_offered_and_kept(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    patched = await web.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        data={"source[language]": "gsw"},
    )
    assert patched.status_code == 200
    page = await web.get(PAGE)
    assert '<option value="gsw" selected>gsw</option>' in page.text


async def test_values_outside_the_choices_are_refused_and_nothing_changes(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    refused = await submit(
        web,
        PAGE,
        {"locked": "1", "privacy": "direct", "language": "<script>alert(1)</script>"},
        page=PAGE,
    )
    assert refused.status_code == 422
    assert "is not included in the list" in refused.text
    assert "is not a valid language code" in refused.text
    assert "<script>alert(1)" not in refused.text
    assert 'id="locked" name="locked" value="1" checked' in refused.text  # kept as sent
    me = await _api(web, alice, "/api/v1/accounts/verify_credentials")
    assert me["locked"] is False


async def test_a_post_without_the_csrf_token_is_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    forged = await web.post(PAGE, data={"locked": "1", "privacy": "private"})
    assert forged.status_code == 403
    me = await _api(web, alice, "/api/v1/accounts/verify_credentials")
    assert me["locked"] is False
