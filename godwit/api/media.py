"""Media endpoints: upload (v1 and v2), show, describe and delete one's uploads.

Processing is synchronous on a bounded thread pool (an image takes well under a second), so
POST /api/v2/media answers 200 with ``url`` set rather than 202; clients handle both.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import services
from godwit.api.entities.media import render_media
from godwit.api.http import Params, json_response, read_params
from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.media import (
    MAX_DESCRIPTION_CHARS,
    Focus,
    ImagePurpose,
    media_invalid,
    parse_focus,
)

UPLOAD_OVERHEAD_BYTES = 64 * 1024  # multipart boundaries and the other form fields


async def upload_params(request: Request) -> Params:
    """The request's parameters, read with the media size limit instead of the usual one.

    Cached where ``context.params`` looks, so later calls see the same parsed body."""
    cached = request.scope.get("godwit.params")
    if isinstance(cached, Params):
        return cached
    limit = services(request).settings.media_max_image_bytes + UPLOAD_OVERHEAD_BYTES
    parsed = await read_params(request, limit)
    request.scope["godwit.params"] = parsed
    return parsed


def _path_id(request: Request) -> int:
    parsed = parse_id(request.path_params["id"])
    if parsed is None:
        raise NotFound()
    return parsed


def _focus(p: Params) -> Focus | None:
    raw = p.str("focus", max_length=64)
    return parse_focus(raw) if raw else None


async def profile_image(
    request: Request, account_id: int, p: Params, purpose: ImagePurpose
) -> str | None:
    """The avatar or header file of PATCH update_credentials, processed and stored: its
    public URL, or None when it was not sent."""
    file = p.file(purpose.value)
    if file is None:
        return None
    return await services(request).media.store_profile_image(account_id, await file.read(), purpose)


async def upload(request: Request) -> Response:
    """POST /api/v1/media and /api/v2/media."""
    creds = await require_user(request, "write:media")
    assert creds.account_id is not None
    p = await upload_params(request)
    file = p.file("file")
    if file is None:
        raise media_invalid("file", "can't be blank")
    data = await file.read()
    media = await services(request).media.upload(
        creds.account_id,
        data,
        description=p.str("description", max_length=MAX_DESCRIPTION_CHARS + 1),
        focus=_focus(p),
    )
    return json_response(render_media(media, services(request).settings))


async def show(request: Request) -> Response:
    """GET /api/v1/media/:id: one's own uploads only."""
    creds = await require_user(request, "write:media")
    assert creds.account_id is not None
    media = await services(request).media.get(creds.account_id, _path_id(request))
    return json_response(render_media(media, services(request).settings))


async def update(request: Request) -> Response:
    """PUT /api/v1/media/:id: description and focal point."""
    creds = await require_user(request, "write:media")
    assert creds.account_id is not None
    p = await upload_params(request)
    media = await services(request).media.update(
        creds.account_id,
        _path_id(request),
        description=p.str("description", max_length=MAX_DESCRIPTION_CHARS + 1),
        description_given="description" in p,
        focus=_focus(p),
    )
    return json_response(render_media(media, services(request).settings))


async def delete(request: Request) -> Response:
    """DELETE /api/v1/media/:id: an upload not attached to a post."""
    creds = await require_user(request, "write:media")
    assert creds.account_id is not None
    media = await services(request).media.delete(creds.account_id, _path_id(request))
    return json_response(render_media(media, services(request).settings))


routes: list[BaseRoute] = [
    Route("/api/v1/media", upload, methods=["POST"]),
    Route("/api/v2/media", upload, methods=["POST"]),
    Route("/api/v1/media/{id}", show, methods=["GET"]),
    Route("/api/v1/media/{id}", update, methods=["PUT"]),
    Route("/api/v1/media/{id}", delete, methods=["DELETE"]),
]
