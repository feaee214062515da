"""A member's small settings: GET /api/v1/preferences, GET/POST /api/v1/markers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import params, services
from godwit.api.http import Params, json_response
from godwit.domain.errors import Invalid
from godwit.domain.ids import parse_id
from godwit.domain.notifications import MARKER_TIMELINES
from godwit.entities.markers import render_markers


async def preferences(request: Request) -> Response:
    credentials = await require_user(request, "read:accounts")
    assert credentials.account_id is not None
    return json_response(
        await services(request).member_settings.preferences(credentials.account_id)
    )


async def get_markers(request: Request) -> Response:
    credentials = await require_user(request, "read:statuses")
    assert credentials.account_id is not None
    timelines = (await params(request)).str_list("timeline", max_items=len(MARKER_TIMELINES) * 4)
    markers = await services(request).member_settings.markers(credentials.account_id, timelines)
    return json_response(render_markers(markers))


def _positions(p: Params) -> dict[str, int]:
    """``home[last_read_id]=…`` and/or ``notifications[last_read_id]=…`` (form or JSON)."""
    positions: dict[str, int] = {}
    for timeline in MARKER_TIMELINES:
        if timeline not in p:
            continue
        last_read_id = parse_id(p.dict(timeline).get("last_read_id"))
        if last_read_id is None:
            field = f"{timeline}[last_read_id]"
            raise Invalid(
                f"Validation failed: {field} must be an ID",
                {field: [("ERR_INVALID", "must be an ID")]},
            )
        positions[timeline] = last_read_id
    if not positions:
        raise Invalid(
            "Validation failed: give home[last_read_id] or notifications[last_read_id]",
            {"last_read_id": [("ERR_BLANK", "can't be blank")]},
        )
    return positions


async def save_markers(request: Request) -> Response:
    credentials = await require_user(request, "write:statuses")
    assert credentials.account_id is not None
    positions = _positions(await params(request))
    saved = await services(request).member_settings.save_markers(credentials.account_id, positions)
    return json_response(render_markers(saved))


routes: list[BaseRoute] = [
    Route("/api/v1/preferences", preferences, methods=["GET"]),
    Route("/api/v1/markers", get_markers, methods=["GET"]),
    Route("/api/v1/markers", save_markers, methods=["POST"]),
]
