"""Settings → Password: the current password is checked (and guesses throttled), the new
one follows the sign-up rules, and every other session and app is signed out."""

from __future__ import annotations

import httpx

from godwit.app import Components
from godwit.domain.accounts import User
from godwit.services.web_sessions import WebSessionService
from tests.api.oauth_helpers import register_app
from tests.web.pages import SESSION_COOKIE, csrf_token, submit

PAGE = "/settings/password"
OLD = "correct horse battery"
NEW = "a much newer passphrase"


async def _member(web: httpx.AsyncClient, components: Components, username: str) -> User:
    """A member with a real password, signed in through the sign-in form as a person is."""
    _account, user = await components.services.accounts.create_user(
        username, f"{username}@example.test", OLD
    )
    signed_in = await submit(web, "/auth/sign_in", {"login": username, "password": OLD})
    assert signed_in.status_code == 303
    return user


async def _app_token(web: httpx.AsyncClient, username: str) -> str:
    """A third-party app's token for the member (the password grant is on in tests)."""
    app = await register_app(web)
    response = await web.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "username": username,
            "password": OLD,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "scope": "read",
        },
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def _api_works(web: httpx.AsyncClient, token: str) -> bool:
    response = await web.get(
        "/api/v1/accounts/verify_credentials", headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code == 200


async def _can_sign_in(sessions: WebSessionService, login: str, password: str) -> bool:
    user = await sessions.accounts.authenticate_password(login, password)
    return user is not None


async def test_changing_the_password_signs_out_everything_else_but_this_browser(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    user = await _member(web, web_components, "alice")
    sessions = web_components.services.web_sessions
    other_browser = await sessions.start(user.id)
    app_token = await _app_token(web, "alice")
    assert await _api_works(web, app_token)
    this_browser = web.cookies.get(SESSION_COOKIE)
    page = await web.get(PAGE)
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.text
    assert 'autocomplete="new-password"' in page.text

    changed = await submit(
        web,
        PAGE,
        {"current_password": OLD, "password": NEW, "password_confirmation": NEW},
        page=PAGE,
    )
    assert changed.status_code == 303
    assert changed.headers["location"] == f"{PAGE}?notice=password_changed"
    assert "Set-Cookie" not in changed.headers  # this browser keeps its session
    assert web.cookies.get(SESSION_COOKIE) == this_browser
    assert (await web.get(f"{PAGE}?notice=password_changed")).status_code == 200
    assert await sessions.resume(other_browser) is None
    assert not await _api_works(web, app_token)
    assert not await _can_sign_in(sessions, "alice", OLD)
    assert await _can_sign_in(sessions, "alice", NEW)


async def test_a_wrong_current_password_is_refused_and_guessing_is_throttled(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await _member(web, web_components, "bob")
    sessions = web_components.services.web_sessions
    attempts = []
    for _ in range(6):
        response = await submit(
            web,
            PAGE,
            {"current_password": "guess guess", "password": NEW, "password_confirmation": NEW},
            page=PAGE,
        )
        attempts.append(response)
    assert [response.status_code for response in attempts[:5]] == [422] * 5
    assert "Current password is not correct" in attempts[0].text
    assert 'id="current_password-error"' in attempts[0].text
    assert "guess guess" not in attempts[0].text  # passwords are never shown back
    assert attempts[5].status_code == 429
    assert "retry-after" in attempts[5].headers
    # Even the right password waits now; nothing was changed meanwhile.
    right = await submit(
        web,
        PAGE,
        {"current_password": OLD, "password": NEW, "password_confirmation": NEW},
        page=PAGE,
    )
    assert right.status_code == 429
    assert await _can_sign_in(sessions, "bob", OLD)
    assert (await web.get(PAGE)).status_code == 200  # still signed in


async def test_the_new_password_follows_the_sign_up_rules(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await _member(web, web_components, "carol")
    sessions = web_components.services.web_sessions
    short = await submit(
        web,
        PAGE,
        {"current_password": OLD, "password": "short", "password_confirmation": "short"},
        page=PAGE,
    )
    assert short.status_code == 422
    assert "New password is too short (minimum is 8 characters)" in short.text
    mismatch = await submit(
        web,
        PAGE,
        {"current_password": OLD, "password": NEW, "password_confirmation": NEW + "!"},
        page=PAGE,
    )
    assert mismatch.status_code == 422
    assert "is not the same as the new password" in mismatch.text
    assert await _can_sign_in(sessions, "carol", OLD)


async def test_a_post_without_the_csrf_token_is_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await _member(web, web_components, "dave")
    assert await csrf_token(web, PAGE)
    forged = await web.post(
        PAGE, data={"current_password": OLD, "password": NEW, "password_confirmation": NEW}
    )
    assert forged.status_code == 403
    assert await _can_sign_in(web_components.services.web_sessions, "dave", OLD)
