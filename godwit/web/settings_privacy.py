"""Settings → Privacy and posting: who may follow, whether the account is suggested and
searchable, and the defaults of new posts (visibility, sensitive media, language).

Saved through ``AccountService.update_credentials``, as the API's ``locked``,
``discoverable``, ``indexable`` and ``source[privacy|sensitive|language]`` are; what the
page shows is what GET /api/v1/preferences answers.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.errors import Invalid
from godwit.entities.accounts import render_credential_account
from godwit.services.profiles import ProfileUpdate
from godwit.web import forms
from godwit.web.context import services
from godwit.web.endpoint import redirect, web_route
from godwit.web.session import Viewer, require_viewer
from godwit.web.settings_frame import field_problems, render_settings

SECTION = "/settings/privacy"
_FIELDS = {"source.privacy": "privacy", "source.language": "language"}

VISIBILITIES = (
    ("public", "Public", "Anyone can see your posts, in every timeline."),
    ("unlisted", "Quiet public", "Anyone can see them, but they stay out of public timelines."),
    ("private", "Followers only", "Only your followers can see them."),
)

# The languages offered for new posts (ISO 639-1), by their own names. A code set through
# the API that is not listed here is offered too, so saving this page never changes it.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("ar", "العربية (Arabic)"),
    ("ca", "Català (Catalan)"),
    ("cs", "Čeština (Czech)"),
    ("cy", "Cymraeg (Welsh)"),
    ("da", "Dansk (Danish)"),
    ("de", "Deutsch (German)"),
    ("el", "Ελληνικά (Greek)"),
    ("en", "English"),
    ("eo", "Esperanto"),
    ("es", "Español (Spanish)"),
    ("eu", "Euskara (Basque)"),
    ("fa", "فارسی (Persian)"),
    ("fi", "Suomi (Finnish)"),
    ("fr", "Français (French)"),
    ("ga", "Gaeilge (Irish)"),
    ("gl", "Galego (Galician)"),
    ("he", "עברית (Hebrew)"),
    ("hi", "हिन्दी (Hindi)"),
    ("hu", "Magyar (Hungarian)"),
    ("id", "Bahasa Indonesia (Indonesian)"),
    ("it", "Italiano (Italian)"),
    ("ja", "日本語 (Japanese)"),
    ("ko", "한국어 (Korean)"),
    ("nl", "Nederlands (Dutch)"),
    ("no", "Norsk (Norwegian)"),
    ("pl", "Polski (Polish)"),
    ("pt", "Português (Portuguese)"),
    ("ro", "Română (Romanian)"),
    ("ru", "Русский (Russian)"),
    ("sv", "Svenska (Swedish)"),
    ("th", "ไทย (Thai)"),
    ("tr", "Türkçe (Turkish)"),
    ("uk", "Українська (Ukrainian)"),
    ("vi", "Tiếng Việt (Vietnamese)"),
    ("zh", "中文 (Chinese)"),
)


def language_options(current: str) -> list[tuple[str, str]]:
    options = [("", "Not set: detect from each post"), *LANGUAGES]
    if current and current not in dict(LANGUAGES):
        options.append((current, current))
    return options


async def privacy_page(request: Request) -> Response:
    viewer = await require_viewer(request)
    wired = services(request)
    own = await wired.accounts.credentials(viewer.account_id)
    source = render_credential_account(own.account, own.user, wired.settings)["source"]
    values = {
        "locked": own.account.locked,
        "discoverable": own.account.discoverable,
        "indexable": own.account.indexable,
        "privacy": source["privacy"],
        "sensitive": source["sensitive"],
        "language": source["language"] or "",
    }
    return await _privacy_form(request, viewer, values)


async def _privacy_form(
    request: Request,
    viewer: Viewer,
    values: dict[str, Any],
    problems: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return await render_settings(
        request,
        "settings/privacy.html",
        SECTION,
        {
            "values": values,
            "problems": problems or {},
            "visibilities": VISIBILITIES,
            "languages": language_options(values["language"]),
        },
        status_code=status_code,
    )


async def save_privacy(request: Request) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    update = ProfileUpdate(
        locked=forms.checked(form, "locked"),
        discoverable=forms.checked(form, "discoverable"),
        indexable=forms.checked(form, "indexable"),
        privacy=forms.text(form, "privacy", max_length=64),
        sensitive=forms.checked(form, "sensitive"),
        language=forms.text(form, "language", max_length=64),  # "" clears it
    )
    values = {
        "locked": update.locked,
        "discoverable": update.discoverable,
        "indexable": update.indexable,
        "privacy": update.privacy,
        "sensitive": update.sensitive,
        "language": update.language,
    }
    try:
        await services(request).accounts.update_credentials(viewer.account_id, update)
    except Invalid as error:
        return await _privacy_form(
            request, viewer, values, field_problems(error, _FIELDS), status_code=422
        )
    return redirect(SECTION, "saved")


routes = [
    web_route(SECTION, privacy_page),
    web_route(SECTION, save_privacy, ["POST"]),
]
