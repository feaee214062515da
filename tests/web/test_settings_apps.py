"""Settings → Apps and sessions: authorised apps with Revoke, and signing out everywhere."""

from __future__ import annotations

import httpx

from godwit.app import Components
from tests.api.oauth_helpers import RegisteredApp, register_app
from tests.factories import Member, make_member
from tests.web.pages import SESSION_COOKIE, sign_in, submit

PAGE = "/settings/apps"


async def _authorise(
    components: Components, app: RegisteredApp, member: Member, scope: str = "read write"
) -> str:
    """What the consent page and /oauth/token do: a code for ``member``, exchanged."""
    oauth = components.services.oauth
    request = await oauth.authorization_request(
        client_id=app.client_id,
        redirect_uri=app.redirect_uri,
        response_type="code",
        scope=scope,
        state=None,
        code_challenge=None,
        code_challenge_method=None,
    )
    own = await components.services.accounts.credentials(member.account_id)
    code = await oauth.issue_code(request, own.user)
    client = await oauth.authenticate_client(app.client_id, app.client_secret)
    issued = await oauth.exchange_code(
        client, code=code, redirect_uri=app.redirect_uri, verifier=None
    )
    return issued.access_token


async def _works(web: httpx.AsyncClient, token: str) -> bool:
    response = await web.get(
        "/api/v1/accounts/verify_credentials", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code in (200, 401), response.text
    return response.status_code == 200


async def test_authorised_apps_are_listed_and_revoking_one_ends_its_access(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    app = await register_app(web)
    alices = [await _authorise(web_components, app, alice) for _ in range(2)]
    bobs = await _authorise(web_components, app, bob)
    await sign_in(web, web_components, alice)

    page = await web.get(PAGE)
    assert page.status_code == 200
    assert "Test App" in page.text
    assert "test app for alice" in page.text  # the factory's app, also holding a token
    assert "test app for bob" not in page.text
    assert "Read all your account&#39;s data" in page.text
    assert "2 times" in page.text  # two live tokens of Test App
    assert "Browser sessions" in page.text
    assert "in 1 browser, since" in page.text

    revoke = f"/settings/apps/{app.id}/revoke"
    assert (await web.post(revoke)).status_code == 403  # no CSRF token
    assert all([await _works(web, token) for token in alices])

    revoked = await submit(web, revoke, page=PAGE)
    assert revoked.status_code == 303
    assert revoked.headers["location"] == f"{PAGE}?notice=revoked"
    assert not any([await _works(web, token) for token in alices])
    assert await _works(web, bobs)  # another member's grant of the same app stays
    assert await _works(web, alice.token)  # other apps keep their access
    assert (await web.get(PAGE)).status_code == 200  # and so does this browser
    after = await web.get(f"{PAGE}?notice=revoked")
    assert "The app&#39;s access was revoked." in after.text
    assert "Test App" not in after.text

    # Revoking again, or an app alice never authorised, finds nothing.
    assert (await submit(web, revoke, page=PAGE)).status_code == 404
    other = await register_app(web)
    assert (await submit(web, f"/settings/apps/{other.id}/revoke", page=PAGE)).status_code == 404


async def test_signing_out_everywhere_ends_every_browser_session_and_no_app(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    other_browser = await web_components.services.web_sessions.start(alice.user_id)
    await sign_in(web, web_components, alice)
    assert "in 2 browsers: the first since" in (await web.get(PAGE)).text

    out = await submit(web, "/settings/sessions/delete", page=PAGE)
    assert out.status_code == 303
    assert out.headers["location"] == "/auth/sign_in?notice=signed_out_everywhere"
    cleared = [value for name, value in out.headers.multi_items() if name == "set-cookie"]
    assert any(value.startswith(f'{SESSION_COOKIE}=""') for value in cleared)
    assert await web_components.services.web_sessions.resume(other_browser) is None
    assert (await web.get(PAGE)).status_code == 303  # this browser is signed out too
    assert await _works(web, alice.token)  # apps are not browser sessions


async def test_app_names_are_escaped(web: httpx.AsyncClient, web_components: Components) -> None:
    alice = await make_member(web_components, "alice")
    registered = await web.post(
        "/api/v1/apps",
        data={
            "client_name": "<script>alert(1)</script>",
            "redirect_uris": "https://app.example/cb",
            "scopes": "read",
            "website": "https://app.example/?q=<b>",
        },
    )
    assert registered.status_code == 200, registered.text
    body = registered.json()
    app = RegisteredApp(
        body["id"], body["client_id"], body["client_secret"], "https://app.example/cb"
    )
    await _authorise(web_components, app, alice, "read")
    await sign_in(web, web_components, alice)
    page = await web.get(PAGE)
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<b>" not in page.text
