"""Poll endpoints: show a poll and vote on it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import optional_auth, require_user, viewer_id
from godwit.api.context import params, services
from godwit.api.http import Params, json_response
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.domain.polls import MAX_OPTION_CHARS, MAX_OPTIONS, PollRequest
from godwit.entities.polls import render_poll

MAX_OPTION_INPUT = 4 * MAX_OPTION_CHARS  # raw cap; the real limit is checked by the domain


def poll_request(p: Params) -> PollRequest | None:
    """``poll[options][]``, ``poll[expires_in]``, ``poll[multiple]``, ``poll[hide_totals]``
    of a new status (form or JSON), or None when the status has no poll."""
    if p.raw("poll") in (None, "", {}):
        return None
    poll = Params(p.dict("poll"))
    options = poll.str_list("options", max_items=2 * MAX_OPTIONS)
    if any(len(option) > MAX_OPTION_INPUT for option in options):
        raise Invalid(
            "Validation failed: poll option too long",
            {"poll": [("ERR_TOO_LONG", "option too long")]},
        )
    expires_in = poll.int("expires_in")
    if expires_in is None:
        raise Invalid(
            "Validation failed: poll expires_in is required",
            {"poll": [("ERR_BLANK", "expires_in can't be blank")]},
        )
    return PollRequest(
        options=tuple(options),
        expires_in=expires_in,
        multiple=bool(poll.bool("multiple", False)),
        hide_totals=bool(poll.bool("hide_totals", False)),
    )


def _path_id(request: Request) -> int:
    parsed = parse_id(request.path_params["id"])
    if parsed is None:
        raise NotFound()
    return parsed


async def show_poll(request: Request) -> Response:
    """GET /api/v1/polls/:id (the visibility of its status applies)."""
    creds = await optional_auth(request, "read:statuses")
    viewer = viewer_id(creds)
    view = await services(request).polls.get(_path_id(request), viewer)
    return json_response(render_poll(view, viewer))


async def vote(request: Request) -> Response:
    """POST /api/v1/polls/:id/votes with choices[] (option indexes)."""
    creds = await require_user(request, "write:statuses")
    assert creds.account_id is not None
    p = await params(request)
    raw = p.list("choices")
    if len(raw) > MAX_OPTIONS:
        raise Invalid("Validation failed: too many choices", {"choices": [("ERR_INVALID", "")]})
    choices: list[int] = []
    for item in raw:
        text = str(item).strip()
        if isinstance(item, bool) or not (text.isascii() and text.isdigit()) or len(text) > 3:
            raise Invalid(
                "Validation failed: choices must be option indexes",
                {"choices": [("ERR_INVALID", "must be option indexes")]},
            )
        choices.append(int(text))
    view = await services(request).polls.vote(_path_id(request), creds.account_id, choices)
    return json_response(render_poll(view, creds.account_id))


routes: list[BaseRoute] = [
    Route("/api/v1/polls/{id}", show_poll, methods=["GET"]),
    Route("/api/v1/polls/{id}/votes", vote, methods=["POST"]),
]
