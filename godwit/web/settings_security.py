"""Settings → Apps and sessions, and Password.

Authorised apps are the apps holding live tokens of the member; revoking one ends all its
access at once (its next API call answers 401). Browser sessions, the tokens of this web
app, are listed apart; ending them signs out every browser, this one too.

Changing the password needs the current one (wrong guesses are throttled per member) and
signs out every other session and app: whoever else knew the old password loses access.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.accounts import MAX_PASSWORD, MIN_PASSWORD
from godwit.domain.errors import Invalid, RateLimited
from godwit.web import forms
from godwit.web.context import client_ip, services
from godwit.web.endpoint import redirect, web_route
from godwit.web.scope_labels import describe_all
from godwit.web.session import Viewer, clear_session_cookie, require_viewer
from godwit.web.settings_frame import field_problems, path_id, render_settings

APPS = "/settings/apps"
PASSWORD_SECTION = "/settings/password"  # noqa: S105 (a path, not a password)
MAX_PASSWORD_INPUT = 1024
_PASSWORD_FIELDS = {
    "current_password": "current_password",
    "password": "password",
    "password_confirmation": "password_confirmation",
}


async def apps_page(request: Request) -> Response:
    viewer = await require_viewer(request)
    listed = await services(request).authorised_apps.of_member(viewer.account_id)
    return await render_settings(
        request,
        "settings/apps.html",
        APPS,
        {
            "apps": [(app, describe_all(app.scopes)) for app in listed.apps],
            "sessions": listed.browser_sessions,
        },
    )


async def revoke_app(request: Request) -> Response:
    viewer = await require_viewer(request)
    await forms.read_form(request)
    await services(request).authorised_apps.revoke(viewer.account_id, path_id(request))
    return redirect(APPS, "revoked")


async def sign_out_everywhere(request: Request) -> Response:
    viewer = await require_viewer(request)
    await forms.read_form(request)
    await services(request).authorised_apps.sign_out_everywhere(viewer.account_id)
    response = redirect("/auth/sign_in", "signed_out_everywhere")
    clear_session_cookie(request, response)
    return response


async def password_page(request: Request) -> Response:
    await require_viewer(request)
    return await _password_form(request)


async def _password_form(
    request: Request,
    problems: dict[str, str] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    return await render_settings(
        request,
        "settings/password.html",
        PASSWORD_SECTION,
        {
            "problems": problems or {},
            "limits": {"min": MIN_PASSWORD, "max": MAX_PASSWORD},
        },
        status_code=status_code,
        headers=headers,
    )


async def change_password(request: Request) -> Response:
    viewer: Viewer = await require_viewer(request)
    form = await forms.read_form(request)
    current = forms.text(form, "current_password", max_length=MAX_PASSWORD_INPUT)
    new = forms.text(form, "password", max_length=MAX_PASSWORD_INPUT)
    if new != forms.text(form, "password_confirmation", max_length=MAX_PASSWORD_INPUT):
        problems = {"password_confirmation": "is not the same as the new password"}
        return await _password_form(request, problems, 422)
    try:
        await services(request).accounts.change_password(
            viewer.account_id,
            current,
            new,
            keep_token_id=viewer.credentials.token_id,
            ip=client_ip(request),
        )
    except RateLimited as error:
        return await _password_form(
            request,
            {"form": error.message},
            429,
            headers={"Retry-After": str(error.retry_after)},
        )
    except Invalid as error:
        return await _password_form(request, field_problems(error, _PASSWORD_FIELDS), 422)
    return redirect(PASSWORD_SECTION, "password_changed")


routes = [
    web_route(APPS, apps_page),
    web_route(f"{APPS}/{{id}}/revoke", revoke_app, ["POST"]),
    web_route("/settings/sessions/delete", sign_out_everywhere, ["POST"]),
    web_route(PASSWORD_SECTION, password_page),
    web_route(PASSWORD_SECTION, change_password, ["POST"]),
]
