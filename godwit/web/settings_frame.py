"""What every settings page shares: the sections of the settings navigation, rendering a
section in its frame, and turning a service's validation error into messages shown beside
the fields that caused them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.web.pages import render

# (path, label): the settings navigation, in the order it is shown.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("/settings/profile", "Profile"),
    ("/settings/privacy", "Privacy and posting"),
    ("/settings/filters", "Filters"),
    ("/settings/mutes", "Muted accounts"),
    ("/settings/blocks", "Blocked accounts"),
    ("/settings/apps", "Apps and sessions"),
    ("/settings/password", "Password"),
)


async def render_settings(
    request: Request,
    template: str,
    section: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A settings page: ``section`` is the path its navigation link marks as current."""
    return await render(
        request,
        template,
        {"sections": SECTIONS, "section": section, **context},
        status_code=status_code,
        headers=headers,
    )


def field_problems(error: Invalid, fields: Mapping[str, str]) -> dict[str, str]:
    """``error.details`` as {form field: "description; …"}. ``fields`` maps the service's
    names to the form's (``source.privacy`` → ``privacy``). When a problem has no field of
    its own on the form, the whole message is shown at the top (``form``), so nothing the
    service said is lost."""
    problems: dict[str, list[str]] = {}
    unplaced = not error.details
    for name, entries in error.details.items():
        if name not in fields:
            unplaced = True
            continue
        found = problems.setdefault(fields[name], [])
        found.extend(description for _code, description in entries)
    shown = {name: "; ".join(dict.fromkeys(found)) for name, found in problems.items()}
    if unplaced:
        shown["form"] = error.message
    return shown


def path_id(request: Request, name: str = "id") -> int:
    value = parse_id(request.path_params.get(name))
    if value is None:
        raise NotFound()
    return value
