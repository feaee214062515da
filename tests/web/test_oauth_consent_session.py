"""The OAuth consent page inside the web app: a signed-in browser only consents."""

from __future__ import annotations

from typing import Any

import httpx

from godwit.app import Components
from tests.api.oauth_helpers import (
    RegisteredApp,
    exchange,
    hidden_fields,
    query_of,
    register_app,
)
from tests.factories import make_member
from tests.web.pages import SESSION_COOKIE, sign_in


async def _open(web: httpx.AsyncClient, app: RegisteredApp, **query: str) -> httpx.Response:
    page = await web.get(
        "/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": app.redirect_uri,
            "scope": "read write",
            "state": "st8",
            **query,
        },
    )
    assert page.status_code == 200, page.text
    return page


def _form(page: httpx.Response, decision: str = "authorize") -> dict[str, Any]:
    form: dict[str, Any] = hidden_fields(page.text)
    form["decision"] = decision
    return form


async def test_a_signed_in_member_only_consents_and_the_code_is_theirs(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    app = await register_app(web)
    await sign_in(web, web_components, alice)

    page = await _open(web, app)
    assert "You are signed in as <strong>@alice</strong>" in page.text
    assert 'type="password"' not in page.text
    assert "Not you? Use another account" in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]

    decided = await web.post("/oauth/authorize", data=_form(page))
    assert decided.status_code == 302
    location = decided.headers["location"]
    assert location.startswith(app.redirect_uri + "?")
    params = query_of(location)
    assert params["state"] == "st8"

    token = await exchange(web, app, params["code"])
    assert token.status_code == 200, token.text
    credentials = await web_components.services.oauth.authenticate(token.json()["access_token"])
    assert credentials is not None
    assert credentials.account_id == alice.account_id
    assert credentials.scopes == frozenset({"read", "write"})


async def test_without_the_csrf_token_no_code_is_issued(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    app = await register_app(web)
    await sign_in(web, web_components, alice)
    form = _form(await _open(web, app))
    del form["authenticity_token"]
    refused = await web.post("/oauth/authorize", data=form)
    assert refused.status_code == 403
    assert "location" not in refused.headers
    # A token from another browser's cookie does not match this one's either.
    form["authenticity_token"] = "0" * 64
    assert (await web.post("/oauth/authorize", data=form)).status_code == 403


async def test_a_session_that_ended_or_changed_hands_issues_no_code(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    app = await register_app(web)
    await sign_in(web, web_components, alice)
    page = await _open(web, app)

    # Alice signs out in another tab; the page she left open asks for a password now.
    session = web.cookies.get(SESSION_COOKIE)
    assert session is not None
    await web_components.services.web_sessions.sign_out(session)
    gone = await web.post("/oauth/authorize", data=_form(page))
    assert gone.status_code == 409
    assert "location" not in gone.headers
    assert 'type="password"' in gone.text

    # Bob signs in on the same browser: alice's open page does not grant for bob.
    await sign_in(web, web_components, bob)
    swapped = await web.post("/oauth/authorize", data=_form(page))
    assert swapped.status_code == 409
    assert "location" not in swapped.headers
    assert "You are signed in as <strong>@bob</strong>" in swapped.text


async def test_deny_and_another_account(web: httpx.AsyncClient, web_components: Components) -> None:
    alice = await make_member(web_components, "alice")
    app = await register_app(web)
    await sign_in(web, web_components, alice)
    denied = await web.post("/oauth/authorize", data=_form(await _open(web, app), "deny"))
    assert denied.status_code == 302
    assert query_of(denied.headers["location"])["error"] == "access_denied"

    forced = await _open(web, app, force_login="true")
    assert '<label for="password">' in forced.text
    assert "You are signed in as" not in forced.text
    assert "session_account" not in forced.text
    # The switch link keeps the request as it was.
    page = await _open(web, app)
    link = page.text.split("Not you?")[0].rsplit('href="', 1)[1].split('"')[0]
    again = await web.get(link.replace("&amp;", "&"))
    assert again.status_code == 200
    assert '<label for="password">' in again.text
    assert hidden_fields(again.text)["state"] == "st8"
    assert hidden_fields(again.text)["scope"] == "read write"


async def test_without_a_session_the_password_form_is_kept(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await make_member(web_components, "alice")
    app = await register_app(web)
    page = await _open(web, app)
    assert '<label for="password">' in page.text
    assert "You are signed in as" not in page.text
    # Naming an account without its session grants nothing.
    form = {**_form(page), "session_account": "1", "login": "", "password": ""}
    refused = await web.post("/oauth/authorize", data=form)
    assert refused.status_code == 409
    assert "location" not in refused.headers
