"""Signing in, out and up in the browser; sessions; CSRF on those forms."""

from __future__ import annotations

import httpx

from godwit.app import Components
from tests.factories import make_member
from tests.web.pages import SESSION_COOKIE, csrf_token, sign_in, submit


async def _member_with_password(components: Components, username: str, password: str) -> None:
    await components.services.accounts.create_user(username, f"{username}@example.test", password)


async def test_visitors_see_the_start_page_and_members_their_home(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    start = await web.get("/")
    assert start.status_code == 200
    assert "Create an account" in start.text
    assert "script-src 'self'" in start.headers["content-security-policy"]
    assert "unsafe-inline" not in start.headers["content-security-policy"]
    assert (await web.get("/home")).headers["location"].startswith("/auth/sign_in?next=%2Fhome")

    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)
    assert (await web.get("/")).headers["location"] == "/home"
    home = await web.get("/home")
    assert home.status_code == 200
    assert "@alice" in home.text


async def test_sign_in_sets_an_httponly_samesite_session_and_sign_out_ends_it(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await _member_with_password(web_components, "bob", "correct horse battery")
    response = await submit(
        web,
        "/auth/sign_in",
        {"login": "bob", "password": "correct horse battery", "next": "/public/local"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/public/local"
    cookie = next(
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" in cookie  # the test server is https
    assert (await web.get("/home")).status_code == 200

    token = await csrf_token(web, "/home")
    out = await web.post("/auth/sign_out", data={"authenticity_token": token})
    assert out.status_code == 303
    assert (await web.get("/home")).status_code == 303


async def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await _member_with_password(web_components, "carol", "correct horse battery")
    wrong = await submit(web, "/auth/sign_in", {"login": "carol", "password": "nope nope"})
    unknown = await submit(web, "/auth/sign_in", {"login": "nobody", "password": "nope nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert "Invalid login or password" in wrong.text
    assert SESSION_COOKIE not in wrong.headers.get("set-cookie", "")


async def test_sign_in_is_throttled_after_repeated_failures(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await _member_with_password(web_components, "dave", "correct horse battery")
    statuses = [
        (await submit(web, "/auth/sign_in", {"login": "dave", "password": "wrong"})).status_code
        for _ in range(12)
    ]
    assert statuses[0] == 401
    assert statuses[-1] == 429


async def test_forms_without_a_valid_csrf_token_are_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await _member_with_password(web_components, "erin", "correct horse battery")
    await csrf_token(web)  # the cookie is set, but the form field is missing or forged
    for data in (
        {"login": "erin", "password": "correct horse battery"},
        {"login": "erin", "password": "correct horse battery", "authenticity_token": "x" * 64},
    ):
        response = await web.post("/auth/sign_in", data=data)
        assert response.status_code == 403
        assert "expired" in response.text
    assert (await web.get("/home")).status_code == 303


async def test_sign_up_needs_the_rules_accepted_then_signs_the_member_in(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    form = await web.get("/auth/sign_up")
    assert "Server rules" in form.text
    fields = {
        "username": "frank",
        "email": "frank@example.test",
        "password": "a long enough password",
        "password_confirmation": "a long enough password",
    }
    refused = await submit(web, "/auth/sign_up", fields, page="/auth/sign_up")
    assert refused.status_code == 422
    assert "must be accepted" in refused.text
    accepted = await submit(
        web, "/auth/sign_up", {**fields, "agreement": "1"}, page="/auth/sign_up"
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"].startswith("/home")
    assert "@frank" in (await web.get("/home")).text


async def test_an_api_token_in_the_session_cookie_opens_no_page(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    grace = await make_member(web_components, "grace")
    web.cookies.set(SESSION_COOKIE, grace.token, domain="godwit.test")
    assert (await web.get("/home")).status_code == 303


async def test_open_redirects_are_refused_after_sign_in(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await _member_with_password(web_components, "heidi", "correct horse battery")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        web.cookies.delete(SESSION_COOKIE)
        response = await submit(
            web,
            "/auth/sign_in",
            {"login": "heidi", "password": "correct horse battery", "next": target},
        )
        assert response.headers["location"] == "/home"
