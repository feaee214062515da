"""The authorization-code flow through the HTML consent page, with PKCE and OOB."""

from __future__ import annotations

import httpx
from sqlalchemy import update

from godwit.storage.schema import users
from tests.api.oauth_helpers import (
    authorization_code,
    components_of,
    consent,
    exchange,
    hidden_fields,
    member_with_password,
    pkce_pair,
    query_of,
    register_app,
)


async def test_full_flow_with_pkce_gives_a_working_token(client: httpx.AsyncClient) -> None:
    member = await member_with_password(client, "alice")
    app = await register_app(client)
    verifier, challenge = pkce_pair()

    page = await client.get(
        "/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": app.redirect_uri,
            "scope": "read write",
            "state": "xyz 123",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "lang": "fr",
        },
    )
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Test App" in page.text
    assert "Read all your account&#39;s data" in page.text  # scopes in plain words
    assert '<label for="password">' in page.text
    assert "<main" in page.text
    # Scripts only from this site's files: none inline, none from elsewhere.
    assert page.text.count("<script") == page.text.count('<script src="/static/')
    assert page.headers["x-frame-options"] == "DENY"
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp
    assert "default-src 'none'" in csp
    assert "https://app.example" in csp
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" in cookie

    form = hidden_fields(page.text)
    form.update({"login": "alice@example.test", "password": "correct horse battery staple"})
    form["decision"] = "authorize"
    redirect = await client.post("/oauth/authorize", data=form)
    assert redirect.status_code == 302
    location = redirect.headers["location"]
    assert location.startswith("https://app.example/callback?")
    params = query_of(location)
    assert params["state"] == "xyz 123"

    token = await exchange(client, app, params["code"], code_verifier=verifier)
    assert token.status_code == 200, token.text
    body = token.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write"
    assert isinstance(body["created_at"], int)
    assert token.headers["cache-control"] == "no-store"

    auth = {"Authorization": f"Bearer {body['access_token']}"}
    who = await client.get("/api/v1/apps/verify_credentials", headers=auth)
    assert who.status_code == 200
    assert who.json()["name"] == "Test App"
    credentials = await components_of(client).services.oauth.authenticate(body["access_token"])
    assert credentials is not None
    assert credentials.account_id == member.account_id


async def test_login_by_username_works_and_custom_scheme_redirects(
    client: httpx.AsyncClient,
) -> None:
    await member_with_password(client, "bob")
    app = await register_app(client, redirect_uris="com.keylesspalace.tusky://oauth")
    response = await consent(client, app, login="bob", state="s")
    assert response.status_code == 302
    assert response.headers["location"].startswith("com.keylesspalace.tusky://oauth?code=")
    code = query_of(response.headers["location"])["code"]
    assert (await exchange(client, app, code)).status_code == 200


async def test_out_of_band_shows_the_code_to_copy(client: httpx.AsyncClient) -> None:
    await member_with_password(client, "carol")
    app = await register_app(client, redirect_uris="urn:ietf:wg:oauth:2.0:oob")
    response = await consent(client, app, login="carol")
    assert response.status_code == 200
    code = hidden_or_readonly_code(response.text)
    token = await exchange(client, app, code)
    assert token.status_code == 200, token.text


def hidden_or_readonly_code(html: str) -> str:
    marker = 'id="code" class="code" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


async def test_wrong_password_rerenders_the_form_without_a_code(
    client: httpx.AsyncClient,
) -> None:
    await member_with_password(client, "dave")
    app = await register_app(client)
    response = await consent(client, app, login="dave", password="wrong password")
    assert response.status_code == 401
    assert "Invalid login or password" in response.text
    assert "location" not in response.headers


async def test_failed_logins_are_throttled(client: httpx.AsyncClient) -> None:
    await member_with_password(client, "erin")
    app = await register_app(client)
    statuses = [
        (await consent(client, app, login="erin", password="nope nope")).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    # Even the right password waits until the window passes.
    blocked = await consent(client, app, login="erin")
    assert blocked.status_code == 429
    assert "retry-after" in blocked.headers


async def test_members_who_cannot_sign_in_are_refused(client: httpx.AsyncClient) -> None:
    member = await member_with_password(client, "frank")
    async with components_of(client).database.write() as conn:
        await conn.execute(update(users).where(users.c.id == member.user_id).values(approved=False))
    app = await register_app(client)
    response = await consent(client, app, login="frank")
    assert response.status_code == 403
    assert "pending approval" in response.text


async def test_deny_redirects_with_access_denied(client: httpx.AsyncClient) -> None:
    app = await register_app(client)
    response = await consent(client, app, login="", password="", decision="deny", state="st")
    assert response.status_code == 302
    params = query_of(response.headers["location"])
    assert params["error"] == "access_denied"
    assert params["state"] == "st"
    assert "code" not in params


async def test_unregistered_redirect_uri_shows_an_error_and_never_redirects(
    client: httpx.AsyncClient,
) -> None:
    app = await register_app(client)
    for client_id, redirect_uri in (
        (app.client_id, "https://evil.example/steal"),
        ("unknown-client", app.redirect_uri),
    ):
        response = await client.get(
            "/oauth/authorize",
            params={"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri},
        )
        assert response.status_code == 400
        assert "location" not in response.headers
        assert "text/html" in response.headers["content-type"]


async def test_invalid_scope_and_plain_pkce_are_redirected_as_errors(
    client: httpx.AsyncClient,
) -> None:
    app = await register_app(client, scopes="read")
    base = {"response_type": "code", "client_id": app.client_id, "redirect_uri": app.redirect_uri}
    too_wide = await client.get("/oauth/authorize", params={**base, "scope": "write"})
    assert too_wide.status_code == 302
    assert query_of(too_wide.headers["location"])["error"] == "invalid_scope"
    plain = await client.get(
        "/oauth/authorize",
        params={**base, "code_challenge": "a" * 43, "code_challenge_method": "plain"},
    )
    assert query_of(plain.headers["location"])["error"] == "invalid_request"


async def test_post_without_csrf_token_is_refused(client: httpx.AsyncClient) -> None:
    await member_with_password(client, "gina")
    app = await register_app(client)
    page = await client.get(
        "/oauth/authorize",
        params={"response_type": "code", "client_id": app.client_id},
    )
    form = hidden_fields(page.text)
    form.update({"login": "gina", "password": "correct horse battery staple"})
    form["decision"] = "authorize"
    forged = {key: value for key, value in form.items() if key != "authenticity_token"}
    assert (await client.post("/oauth/authorize", data=forged)).status_code == 403
    wrong = {**form, "authenticity_token": "0" * 64}
    assert (await client.post("/oauth/authorize", data=wrong)).status_code == 403
    client.cookies.clear()  # the token alone, without its cookie, proves nothing
    assert (await client.post("/oauth/authorize", data=form)).status_code == 403


async def test_html_is_escaped(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/apps",
        data={"client_name": "<script>alert(1)</script>", "redirect_uris": "https://a.example/cb"},
    )
    app_client_id = response.json()["client_id"]
    page = await client.get(
        "/oauth/authorize",
        params={"response_type": "code", "client_id": app_client_id, "state": '"><b>x'},
    )
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text
    assert '"><b>x' not in page.text


async def test_wrong_verifier_and_wrong_redirect_uri_fail(client: httpx.AsyncClient) -> None:
    await member_with_password(client, "hank")
    app = await register_app(client)
    verifier, challenge = pkce_pair()
    code = await authorization_code(
        client, app, "hank", code_challenge=challenge, code_challenge_method="S256"
    )
    other_verifier, _ = pkce_pair()
    wrong = await exchange(client, app, code, code_verifier=other_verifier)
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    missing = await exchange(client, app, code)
    assert missing.json()["error"] == "invalid_grant"
    elsewhere = await exchange(
        client, app, code, code_verifier=verifier, redirect_uri="https://app.example/other"
    )
    assert elsewhere.json()["error"] == "invalid_grant"
    # The failures did not burn the code: the right verifier still works once.
    assert (await exchange(client, app, code, code_verifier=verifier)).status_code == 200


async def test_code_replay_fails_and_revokes_the_first_token(client: httpx.AsyncClient) -> None:
    await member_with_password(client, "iris")
    app = await register_app(client)
    code = await authorization_code(client, app, "iris")
    first = await exchange(client, app, code)
    assert first.status_code == 200
    token = first.json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/api/v1/apps/verify_credentials", headers=auth)).status_code == 200

    replay = await exchange(client, app, code)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert (await client.get("/api/v1/apps/verify_credentials", headers=auth)).status_code == 401


async def test_code_cannot_be_used_by_another_app(client: httpx.AsyncClient) -> None:
    await member_with_password(client, "jack")
    app = await register_app(client)
    other = await register_app(client)
    code = await authorization_code(client, app, "jack")
    stolen = await exchange(client, other, code)
    assert stolen.json()["error"] == "invalid_grant"


async def test_fragment_and_form_post_response_modes(client: httpx.AsyncClient) -> None:
    await member_with_password(client, "kim")
    app = await register_app(client)
    fragment = await consent(client, app, login="kim", state="s1", response_mode="fragment")
    assert fragment.status_code == 302
    location = fragment.headers["location"]
    assert location.startswith("https://app.example/callback#code=")
    assert location.endswith("&state=s1")

    posted = await consent(client, app, login="kim", state="s2", response_mode="form_post")
    assert posted.status_code == 200
    assert 'action="https://app.example/callback"' in posted.text
    fields = hidden_fields(posted.text)
    assert fields["state"] == "s2"
    assert (await exchange(client, app, fields["code"])).status_code == 200

    unknown = await client.get(
        "/oauth/authorize",
        params={"response_type": "code", "client_id": app.client_id, "response_mode": "web"},
    )
    assert query_of(unknown.headers["location"])["error"] == "invalid_request"
