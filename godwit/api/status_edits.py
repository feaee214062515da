"""Editing statuses: PUT /api/v1/statuses/:id, and a status's history and source."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import optional_auth, require_user, viewer_id
from godwit.api.context import params, services
from godwit.api.http import Params, json_response
from godwit.api.media import media_edit
from godwit.api.polls import poll_request
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.domain.polls import PollRequest
from godwit.domain.posting import MAX_SPOILER_CHARS
from godwit.entities.accounts import render_account
from godwit.entities.common import iso
from godwit.entities.media import render_revision_media
from godwit.entities.polls import render_revision_poll
from godwit.entities.statuses import render_status
from godwit.services.status_edits import EditRequest

MAX_TEXT_INPUT = 100_000  # raw cap before the real (configurable) character limit applies
MAX_SHORT_INPUT = 255


def _path_id(request: Request) -> int:
    parsed = parse_id(request.path_params["id"])
    if parsed is None:
        raise NotFound()
    return parsed


def _edit_request(p: Params) -> EditRequest:
    return EditRequest(
        text=p.str("status", max_length=MAX_TEXT_INPUT) if "status" in p else None,
        spoiler_text=(
            p.str("spoiler_text", "", max_length=MAX_SPOILER_CHARS) if "spoiler_text" in p else None
        ),
        sensitive=p.bool("sensitive"),
        language=p.str("language", max_length=MAX_SHORT_INPUT) or None,
        poll=_edited_poll(p),
        media=media_edit(p),
    )


def _edited_poll(p: Params) -> PollRequest | None:
    """The poll the status keeps or gets (None: it has none after the edit)."""
    poll = poll_request(p)
    if poll is not None and p.list("media_ids"):
        raise Invalid(
            "Validation failed: a status cannot have both a poll and media",
            {"poll": [("ERR_INVALID", "cannot be combined with media")]},
        )
    return poll


async def edit_status(request: Request) -> Response:
    """PUT /api/v1/statuses/:id."""
    creds = await require_user(request, "write:statuses")
    assert creds.account_id is not None
    edit = _edit_request(await params(request))
    view = await services(request).status_edits.edit(_path_id(request), creds.account_id, edit)
    return json_response(render_status(view, services(request).settings))


async def status_history(request: Request) -> Response:
    """GET /api/v1/statuses/:id/history: [StatusEdit], oldest first."""
    creds = await optional_auth(request, "read:statuses")
    history = await services(request).status_edits.history(_path_id(request), viewer_id(creds))
    account = render_account(history.view.account, services(request).settings)
    revisions: list[dict[str, Any]] = [
        {
            "content": revision.content,
            "spoiler_text": revision.spoiler_text,
            "sensitive": revision.sensitive,
            "created_at": iso(revision.created_at),
            "account": account,
            "media_attachments": render_revision_media(
                revision.media, history.media, services(request).settings
            ),
            "emojis": [],
        }
        for revision in history.revisions
    ]
    for entity, revision in zip(revisions, history.revisions, strict=True):
        if revision.poll_options is not None:  # left out without a poll, as in Mastodon
            entity["poll"] = render_revision_poll(revision.poll_options)
    return json_response(revisions)


async def status_source(request: Request) -> Response:
    """GET /api/v1/statuses/:id/source: one's own status's plain text, for editing."""
    creds = await require_user(request, "read:statuses")
    assert creds.account_id is not None
    source = await services(request).status_edits.source(_path_id(request), creds.account_id)
    return json_response(
        {"id": str(source.id), "text": source.text, "spoiler_text": source.spoiler_text}
    )


routes: list[BaseRoute] = [
    Route("/api/v1/statuses/{id}", edit_status, methods=["PUT"]),
    Route("/api/v1/statuses/{id}/history", status_history, methods=["GET"]),
    Route("/api/v1/statuses/{id}/source", status_source, methods=["GET"]),
]
