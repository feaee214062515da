"""Media endpoints: upload (v1 and v2), show, describe and delete one's uploads.

Images are processed in the request (well under a second), so both versions answer 200
with ``url`` set. Video, animated GIFs and audio are processed in the request on v1, and
by a job on v2, which answers 202 with ``url`` null; GET /api/v1/media/:id then answers
206 until processing is done (200), or 422 with the reason if it failed — as Mastodon.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import services
from godwit.api.http import Params, error_response, json_response, read_params
from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.media import (
    MAX_ATTACHMENTS_PER_STATUS,
    MAX_DESCRIPTION_CHARS,
    PROCESSING_FAILED,
    Focus,
    ImagePurpose,
    MediaAttachment,
    MediaAttributes,
    MediaEdit,
    ProcessingState,
    media_invalid,
    parse_focus,
)
from godwit.entities.media import render_media

UPLOAD_OVERHEAD_BYTES = 64 * 1024  # multipart boundaries and the other form fields
MAX_MEDIA_ATTRIBUTES = 20  # more than a post's four attachments, never unbounded


async def upload_params(request: Request) -> Params:
    """The request's parameters, read with the media size limit instead of the usual one.

    Cached where ``context.params`` looks, so later calls see the same parsed body."""
    cached = request.scope.get("godwit.params")
    if isinstance(cached, Params):
        return cached
    limit = services(request).media.max_upload_bytes + UPLOAD_OVERHEAD_BYTES
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


def media_edit(p: Params) -> MediaEdit:
    """``media_ids[]`` and ``media_attributes[][id|description|focus]`` of an edit.

    As in Mastodon, an edit states the whole post: the post shows exactly the attachments
    in ``media_ids``, in that order, and an edit without them (or with JSON null, JSON ``[]``
    or a form's lone ``media_ids[]=``) removes them all. Clients send the current ids back."""
    media_ids: tuple[int, ...] = ()
    if p.raw("media_ids") is not None:
        listed = [item for item in p.list("media_ids") if item != ""]
        media_ids = tuple(
            Params({"media_ids": listed}).id_list("media_ids", max_items=MAX_ATTACHMENTS_PER_STATUS)
        )
    items = p.list("media_attributes")
    if len(items) > MAX_MEDIA_ATTRIBUTES:
        raise media_invalid("media_attributes", "has too many items")
    attributes = []
    for item in items:
        if not isinstance(item, dict):
            raise media_invalid("media_attributes", "must be a list of {id, description, focus}")
        nested = Params(item)
        media_id = nested.id("id")
        if media_id is None:
            raise media_invalid("media_attributes", "needs the id of each attachment")
        attributes.append(
            MediaAttributes(
                id=media_id,
                description=nested.str("description", max_length=MAX_DESCRIPTION_CHARS + 1),
                description_given="description" in nested,
                focus=_focus(nested),
            )
        )
    return MediaEdit(media_ids=media_ids, attributes=tuple(attributes))


async def profile_image(
    request: Request, account_id: int, p: Params, purpose: ImagePurpose
) -> str | None:
    """The avatar or header file of PATCH update_credentials, processed and stored: its
    public URL, or None when it was not sent."""
    file = p.file(purpose.value)
    if file is None:
        return None
    return await services(request).media.store_profile_image(account_id, await file.read(), purpose)


def _media_response(request: Request, media: MediaAttachment, *, waiting: int) -> Response:
    """The entity; ``waiting`` (202 or 206) while it is queued; 422 once it has failed."""
    if media.processing is ProcessingState.FAILED:
        reason = media.processing_error or "it could not be processed"
        return error_response(422, f"{PROCESSING_FAILED}: {reason}")
    status = waiting if media.processing is ProcessingState.QUEUED else 200
    return json_response(render_media(media, services(request).settings), status_code=status)


async def upload_v1(request: Request) -> Response:
    """POST /api/v1/media: processed before the answer, whatever the type."""
    return await _upload(request, asynchronous=False)


async def upload_v2(request: Request) -> Response:
    """POST /api/v2/media: video, animated GIFs and audio answer 202 and are processed by a
    job; images are processed at once (200), as Mastodon does for quick processing."""
    return await _upload(request, asynchronous=True)


async def _upload(request: Request, *, asynchronous: bool) -> Response:
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
        asynchronous=asynchronous,
    )
    return _media_response(request, media, waiting=202)


async def show(request: Request) -> Response:
    """GET /api/v1/media/:id: one's own uploads only; 206 while being processed."""
    creds = await require_user(request, "write:media")
    assert creds.account_id is not None
    media = await services(request).media.get(creds.account_id, _path_id(request))
    return _media_response(request, media, waiting=206)


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
    return _media_response(request, media, waiting=200)


async def delete(request: Request) -> Response:
    """DELETE /api/v1/media/:id: an upload not attached to a post."""
    creds = await require_user(request, "write:media")
    assert creds.account_id is not None
    media = await services(request).media.delete(creds.account_id, _path_id(request))
    return json_response(render_media(media, services(request).settings))


routes: list[BaseRoute] = [
    Route("/api/v1/media", upload_v1, methods=["POST"]),
    Route("/api/v2/media", upload_v2, methods=["POST"]),
    Route("/api/v1/media/{id}", show, methods=["GET"]),
    Route("/api/v1/media/{id}", update, methods=["PUT"]),
    Route("/api/v1/media/{id}", delete, methods=["DELETE"]),
]
