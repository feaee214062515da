"""Settings → Profile: display name, bio, profile fields, avatar and header.

The form goes through the same services as PATCH /api/v1/accounts/update_credentials:
``MediaService.store_profile_image`` (resize, metadata stripped) and
``AccountService.update_credentials`` (limits, bio rendering), so the page and the API
accept and refuse the same things. A refused form is shown again with everything the member
typed (only chosen files cannot be kept: browsers do not refill file inputs).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.accounts import MAX_DISPLAY_NAME, MAX_FIELD_NAME, MAX_FIELD_VALUE, MAX_FIELDS
from godwit.domain.accounts import MAX_NOTE as MAX_BIO
from godwit.domain.errors import Invalid
from godwit.domain.media import ImagePurpose
from godwit.entities.accounts import render_credential_account
from godwit.services.profiles import ProfileUpdate, update_problems, validation_failed
from godwit.web import forms
from godwit.web.context import services
from godwit.web.endpoint import redirect, web_route
from godwit.web.session import Viewer, require_viewer
from godwit.web.settings_frame import field_problems, render_settings

SECTION = "/settings/profile"
# Generous caps on raw input: the real limits (30, 500, 255) answer with a message.
MAX_INPUT = 10_000
# Where update_credentials' problems are shown on this form.
_FIELDS = {"display_name": "display_name", "note": "note", "fields": "fields"}
_IMAGES = (ImagePurpose.AVATAR, ImagePurpose.HEADER)


async def profile_page(request: Request) -> Response:
    viewer = await require_viewer(request)
    return await _profile_form(request, viewer)


async def _profile_form(
    request: Request,
    viewer: Viewer,
    values: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    wired = services(request)
    own = await wired.accounts.credentials(viewer.account_id)
    account = render_credential_account(
        own.account, own.user, wired.settings, follow_requests_count=own.follow_requests_count
    )
    if values is None:
        source = account["source"]
        values = {
            "display_name": own.account.display_name,
            "note": source["note"],
            "fields": [(field["name"], field["value"]) for field in source["fields"]],
            "bot": own.account.bot,
        }
    rows = list(values["fields"])[:MAX_FIELDS]
    values = {**values, "fields": rows + [("", "")] * (MAX_FIELDS - len(rows))}
    return await render_settings(
        request,
        "settings/profile.html",
        SECTION,
        {
            "account": account,
            "has_avatar": bool(own.account.avatar_path),
            "has_header": bool(own.account.header_path),
            "values": values,
            "problems": problems or {},
            "limits": {
                "display_name": MAX_DISPLAY_NAME,
                "note": MAX_BIO,
                "field_name": MAX_FIELD_NAME,
                "field_value": MAX_FIELD_VALUE,
            },
        },
        status_code=status_code,
    )


def _submitted(form: FormData) -> dict[str, Any]:
    return {
        "display_name": forms.text(form, "display_name", max_length=MAX_INPUT),
        "note": forms.text(form, "note", max_length=MAX_INPUT).replace("\r\n", "\n"),
        "fields": [
            (
                forms.text(form, f"field_name_{index}", max_length=MAX_INPUT),
                forms.text(form, f"field_value_{index}", max_length=MAX_INPUT),
            )
            for index in range(MAX_FIELDS)
        ],
        "bot": forms.checked(form, "bot"),
    }


async def save_profile(request: Request) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request, max_files=len(_IMAGES))
    values = _submitted(form)
    update = ProfileUpdate(
        display_name=values["display_name"],
        note=values["note"],
        fields=tuple(values["fields"]),
        bot=values["bot"],
    )
    media = services(request).media
    stored: dict[ImagePurpose, str] = {}
    saved = False
    try:
        problems = await _store_images(request, viewer, form, stored)
        if not problems:
            update = replace(
                update,
                avatar_url=stored.get(ImagePurpose.AVATAR),
                header_url=stored.get(ImagePurpose.HEADER),
            )
            await services(request).accounts.update_credentials(viewer.account_id, update)
            saved = True
            return redirect(SECTION, "saved")
        # An image was refused: report the text fields' problems too, in one round trip.
        if text_problems := update_problems(update):
            problems.update(field_problems(validation_failed(text_problems), _FIELDS))
    except Invalid as error:
        problems = field_problems(error, _FIELDS)
    finally:
        if not saved:  # the files just stored belong to no profile
            await media.discard_profile_images(list(stored.values()))
        await form.close()
    return await _profile_form(request, viewer, values, problems, 422)


async def _store_images(
    request: Request, viewer: Viewer, form: FormData, stored: dict[ImagePurpose, str]
) -> dict[str, str]:
    """Process and store the chosen avatar and header (into ``stored``, so the caller can
    discard them if the profile is not saved); the problems of the refused ones."""
    wired = services(request)
    limit = wired.settings.media_max_image_bytes
    problems: dict[str, str] = {}
    for purpose in _IMAGES:
        upload = forms.upload(form, purpose.value)
        if upload is None:
            continue
        if (upload.size or 0) > limit:  # refused before it is read into memory
            problems[purpose.value] = f"is too large (maximum is {limit // (1024 * 1024)} MB)"
            continue
        try:
            stored[purpose] = await wired.media.store_profile_image(
                viewer.account_id, await upload.read(), purpose
            )
        except Invalid as error:
            descriptions = [text for entries in error.details.values() for _, text in entries]
            problems[purpose.value] = "; ".join(descriptions) or error.message
    return problems


async def _remove_image(request: Request, purpose: ImagePurpose) -> Response:
    viewer = await require_viewer(request)
    await forms.read_form(request)
    await services(request).media.remove_profile_image(viewer.account_id, purpose)
    return redirect(SECTION, "saved")


async def remove_avatar(request: Request) -> Response:
    return await _remove_image(request, ImagePurpose.AVATAR)


async def remove_header(request: Request) -> Response:
    return await _remove_image(request, ImagePurpose.HEADER)


routes = [
    web_route(SECTION, profile_page),
    web_route(SECTION, save_profile, ["POST"]),
    web_route(f"{SECTION}/avatar/delete", remove_avatar, ["POST"]),
    web_route(f"{SECTION}/header/delete", remove_header, ["POST"]),
]
