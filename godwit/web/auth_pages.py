"""Signing in, signing out and signing up in the browser; the start page.

Sign-in failures are throttled per address and per login (the same ``LoginThrottle`` as the
OAuth consent page), and the answer never says whether the login exists. Sign-up shows the
server's rules and asks for them to be accepted, as the client API's ``agreement`` does.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from godwit.domain.errors import Forbidden, Invalid, RateLimited, Unauthorized
from godwit.services.accounts import SignUp
from godwit.web import forms
from godwit.web.context import client_ip, services
from godwit.web.endpoint import redirect, safe_return_path, web_route
from godwit.web.pages import render
from godwit.web.session import (
    clear_session_cookie,
    current_viewer,
    session_token,
    set_session_cookie,
)

MAX_LOGIN = 320
MAX_PASSWORD = 1024


async def start_page(request: Request) -> Response:
    """GET /: the home timeline for members; for visitors, what this server is."""
    if await current_viewer(request) is not None:
        return RedirectResponse("/home", status_code=303)
    info = await services(request).instance.info()
    return await render(request, "landing.html", {"info": info})


async def sign_in_page(request: Request) -> Response:
    next_path = safe_return_path(request.query_params.get("next"))
    if await current_viewer(request) is not None:
        return RedirectResponse(next_path, status_code=303)
    return await render(request, "sign_in.html", {"next": next_path, "login": ""})


async def sign_in(request: Request) -> Response:
    form = await forms.read_form(request)
    login = forms.text(form, "login", max_length=MAX_LOGIN).strip()
    next_path = safe_return_path(forms.text(form, "next"))
    try:
        token = await services(request).web_sessions.sign_in(
            login, forms.text(form, "password", max_length=MAX_PASSWORD), ip=client_ip(request)
        )
    except RateLimited as error:
        return await _sign_in_again(
            request, login, next_path, error.message, 429, {"Retry-After": str(error.retry_after)}
        )
    except (Unauthorized, Forbidden) as error:
        status = 403 if isinstance(error, Forbidden) else 401
        return await _sign_in_again(request, login, next_path, error.message, status)
    response = redirect(next_path)
    set_session_cookie(request, response, token)
    return response


async def _sign_in_again(
    request: Request,
    login: str,
    next_path: str,
    error: str,
    status: int,
    headers: dict[str, str] | None = None,
) -> Response:
    return await render(
        request,
        "sign_in.html",
        {"next": next_path, "login": login, "error": error},
        status_code=status,
        headers=headers,
    )


async def sign_out(request: Request) -> Response:
    await forms.read_form(request)
    token = session_token(request)
    if token is not None:
        await services(request).web_sessions.sign_out(token)
    response = redirect("/", "signed_out")
    clear_session_cookie(request, response)
    return response


async def sign_up_page(request: Request) -> Response:
    if await current_viewer(request) is not None:
        return RedirectResponse("/home", status_code=303)
    return await _sign_up_form(request)


async def _sign_up_form(
    request: Request,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    info = await services(request).instance.info()
    return await render(
        request,
        "sign_up.html",
        {"info": info, "values": values or {}, "problems": problems or {}},
        status_code=status,
    )


async def sign_up(request: Request) -> Response:
    form = await forms.read_form(request)
    values = {
        "username": forms.text(form, "username", max_length=64).strip(),
        "email": forms.text(form, "email", max_length=MAX_LOGIN).strip(),
        "reason": forms.text(form, "reason", max_length=1000).strip(),
    }
    password = forms.text(form, "password", max_length=MAX_PASSWORD)
    if password != forms.text(form, "password_confirmation", max_length=MAX_PASSWORD):
        problems = {"password_confirmation": "The two passwords are not the same."}
        return await _sign_up_form(request, values, problems, 422)
    try:
        registered = await services(request).web_sessions.sign_up(
            SignUp(
                username=values["username"],
                email=values["email"],
                password=password,
                agreement=forms.checked(form, "agreement"),
                reason=values["reason"],
                ip=client_ip(request),
            )
        )
    except Invalid as error:
        problems = {
            field: "; ".join(description for _code, description in entries)
            for field, entries in error.details.items()
        } or {"form": error.message}
        return await _sign_up_form(request, values, problems, 422)
    if not registered.user.can_sign_in:
        return redirect("/", "pending_approval")
    response = redirect("/home", "signed_up")
    set_session_cookie(request, response, registered.token.access_token)
    return response


routes = [
    web_route("/", start_page),
    web_route("/auth/sign_in", sign_in_page),
    web_route("/auth/sign_in", sign_in, ["POST"]),
    web_route("/auth/sign_out", sign_out, ["POST"]),
    web_route("/auth/sign_up", sign_up_page),
    web_route("/auth/sign_up", sign_up, ["POST"]),
]
