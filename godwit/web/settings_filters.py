"""Settings → Filters: list, create, edit and delete the member's filters (v2: a title,
keywords matched as whole words or anywhere, the places they apply, warn/hide/blur, an
expiry), through the same ``FilterService`` as /api/v2/filters.

Without JavaScript a form cannot grow, so the keyword table always offers a few empty rows
for new keywords; existing ones can be edited or ticked for removal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.errors import Invalid
from godwit.domain.filters import (
    ACTIONS,
    CONTEXTS,
    MAX_KEYWORD_LENGTH,
    MAX_KEYWORDS_PER_FILTER,
    MAX_TITLE_LENGTH,
    Filter,
    KeywordChange,
    is_active,
)
from godwit.domain.ids import parse_id
from godwit.entities.filters import render_filter
from godwit.services.filters import FilterChanges
from godwit.web import forms
from godwit.web.context import services
from godwit.web.endpoint import redirect, web_route
from godwit.web.session import require_viewer
from godwit.web.settings_frame import field_problems, path_id, render_settings

SECTION = "/settings/filters"
NEW_ROWS = 3  # empty keyword rows offered on every form
MAX_ROWS = MAX_KEYWORDS_PER_FILTER + NEW_ROWS
MAX_INPUT = 10_000

CONTEXT_LABELS = {
    "home": "Home timeline and lists",
    "notifications": "Notifications",
    "public": "Public timelines",
    "thread": "Conversations",
    "account": "Profiles",
}
ACTION_CHOICES = (
    (
        "warn",
        "Hide with a warning",
        "Matching posts are folded behind a warning naming the filter.",
    ),
    ("hide", "Hide completely", "Matching posts are not shown at all."),
    ("blur", "Hide media only", "The pictures and videos of matching posts are hidden."),
)
# (seconds, label) for "expires in"; 0 is "never", as in the API.
EXPIRY_CHOICES = (
    ("0", "Never"),
    ("1800", "In 30 minutes"),
    ("3600", "In 1 hour"),
    ("21600", "In 6 hours"),
    ("43200", "In 12 hours"),
    ("86400", "In 1 day"),
    ("604800", "In 1 week"),
)
KEEP = "keep"
# Where FilterService's problems are shown on the form.
_FIELDS = {
    "title": "title",
    "context": "context",
    "filter_action": "action",
    "expires_in": "expires",
    "keyword": "keywords",
    "keywords_attributes": "keywords",
}


async def filters_page(request: Request) -> Response:
    viewer = await require_viewer(request)
    filters = await services(request).filters.list_filters(viewer.account_id)
    now = dt.datetime.now(dt.UTC)
    return await render_settings(
        request,
        "settings/filters.html",
        SECTION,
        {
            "filters": [(render_filter(flt), not is_active(flt, now)) for flt in filters],
            "context_labels": CONTEXT_LABELS,
            "action_labels": {value: label for value, label, _ in ACTION_CHOICES},
        },
    )


async def new_filter_page(request: Request) -> Response:
    await require_viewer(request)
    values = {
        "title": "",
        "action": "warn",
        "context": ["home", "notifications", "public", "thread"],
        "expires": "0",
        "keywords": [],
    }
    return await _filter_form(request, None, values)


async def edit_filter_page(request: Request) -> Response:
    viewer = await require_viewer(request)
    flt = await services(request).filters.get(viewer.account_id, path_id(request))
    values = {
        "title": flt.title,
        "action": flt.action,
        "context": list(flt.context),
        "expires": KEEP,
        "keywords": [
            {"id": str(k.id), "keyword": k.keyword, "whole_word": k.whole_word, "remove": False}
            for k in flt.keywords
        ],
    }
    return await _filter_form(request, flt, values)


async def _filter_form(
    request: Request,
    flt: Filter | None,
    values: dict[str, Any],
    problems: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    blank = {"id": "", "keyword": "", "whole_word": True, "remove": False}
    rows = [*values["keywords"], *([blank] * NEW_ROWS)][:MAX_ROWS]
    expiry = list(EXPIRY_CHOICES)
    if flt is not None:
        expiry.insert(0, (KEEP, _keep_label(flt)))
    return await render_settings(
        request,
        "settings/filter_form.html",
        SECTION,
        {
            "filter": render_filter(flt) if flt is not None else None,
            "heading": "Edit filter" if flt is not None else "New filter",
            "values": {**values, "keywords": rows},
            "problems": problems or {},
            "contexts": [(name, CONTEXT_LABELS[name]) for name in CONTEXTS],
            "actions": [choice for choice in ACTION_CHOICES if choice[0] in ACTIONS],
            "expiry_choices": expiry,
            "limits": {"title": MAX_TITLE_LENGTH, "keyword": MAX_KEYWORD_LENGTH},
        },
        status_code=status_code,
    )


def _keep_label(flt: Filter) -> str:
    if flt.expires_at is None:
        return "Never (as now)"
    if not is_active(flt, dt.datetime.now(dt.UTC)):
        return "Keep it expired"
    return f"Keep as now: {flt.expires_at.strftime('%-d %B %Y, %H:%M UTC')}"


def _submitted(form: FormData) -> dict[str, Any]:
    rows = []
    for index in range(MAX_ROWS):
        prefix = f"keywords-{index}-"
        if f"{prefix}keyword" not in form and f"{prefix}id" not in form:
            continue
        rows.append(
            {
                "id": forms.text(form, f"{prefix}id", max_length=32),
                "keyword": forms.text(form, f"{prefix}keyword", max_length=MAX_INPUT),
                "whole_word": forms.checked(form, f"{prefix}whole_word"),
                "remove": forms.checked(form, f"{prefix}remove"),
            }
        )
    return {
        "title": forms.text(form, "title", max_length=MAX_INPUT),
        "action": forms.text(form, "action", max_length=16),
        "context": forms.texts(form, "context", max_items=2 * len(CONTEXTS), max_length=32),
        "expires": forms.text(form, "expires", max_length=16),
        "keywords": rows,
    }


def _changes(values: dict[str, Any], *, editing: bool) -> FilterChanges:
    expires = values["expires"]
    keep = editing and expires == KEEP
    if not keep and not (expires.isascii() and expires.isdigit() and len(expires) <= 10):
        raise Invalid(
            "Validation failed: Expires is not one of the choices",
            {"expires_in": [("ERR_INCLUSION", "is not one of the choices")]},
        )
    keywords = []
    for row in values["keywords"]:
        keyword_id = parse_id(row["id"]) if row["id"] else None
        if keyword_id is None and not row["keyword"].strip():
            continue  # an empty row for a new keyword, left empty
        keywords.append(
            KeywordChange(
                id=keyword_id,
                keyword=row["keyword"],
                whole_word=row["whole_word"],
                destroy=row["remove"],
            )
        )
    return FilterChanges(
        title=values["title"],
        context=values["context"],
        action=values["action"],
        expires_in=None if keep else int(expires),
        expires_in_given=not keep,
        keywords=tuple(keywords),
    )


async def create_filter(request: Request) -> Response:
    viewer = await require_viewer(request)
    values = _submitted(await forms.read_form(request))
    try:
        await services(request).filters.create(viewer.account_id, _changes(values, editing=False))
    except Invalid as error:
        return await _filter_form(request, None, values, field_problems(error, _FIELDS), 422)
    return redirect(SECTION, "saved")


async def update_filter(request: Request) -> Response:
    viewer = await require_viewer(request)
    filter_id = path_id(request)
    values = _submitted(await forms.read_form(request))
    wired = services(request)
    try:
        await wired.filters.update(viewer.account_id, filter_id, _changes(values, editing=True))
    except Invalid as error:
        flt = await wired.filters.get(viewer.account_id, filter_id)
        return await _filter_form(request, flt, values, field_problems(error, _FIELDS), 422)
    return redirect(SECTION, "saved")


async def delete_filter(request: Request) -> Response:
    viewer = await require_viewer(request)
    await forms.read_form(request)
    await services(request).filters.delete(viewer.account_id, path_id(request))
    return redirect(SECTION, "filter_deleted")


routes = [
    web_route(SECTION, filters_page),
    web_route(SECTION, create_filter, ["POST"]),
    web_route(f"{SECTION}/new", new_filter_page),
    web_route(f"{SECTION}/{{id}}", edit_filter_page),
    web_route(f"{SECTION}/{{id}}", update_filter, ["POST"]),
    web_route(f"{SECTION}/{{id}}/delete", delete_filter, ["POST"]),
]
