"""Writing a post in the browser: the compose form's context, the compose page and the
POST handler.

The form works without JavaScript: a plain multipart POST to /web/statuses, with up to four
image inputs (each with its own alt text field) and four poll choice inputs always present.
Images go through the same media service as the API's uploads (processed, metadata
stripped) and are then attached by id. When a post cannot be published the compose page is
shown again with status 422: the text, the choices and the images already uploaded are all
kept. A hidden idempotency key makes a double submit publish once.
"""

from __future__ import annotations

import contextlib
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.content_review import HELD, PENDING
from godwit.domain.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from godwit.domain.ids import parse_id
from godwit.domain.media import MAX_ATTACHMENTS_PER_STATUS
from godwit.entities.media import render_media
from godwit.entities.statuses import render_status
from godwit.services.statuses import PostRequest
from godwit.web import forms
from godwit.web.compose_draft import (
    Draft,
    check_draft,
    form_context,
    friendly,
    problem_field,
    read_draft,
    reply_mentions,
    reply_visibility,
)
from godwit.web.context import instance_essentials, services
from godwit.web.endpoint import redirect, safe_return_path, web_route
from godwit.web.pages import render
from godwit.web.session import Viewer, require_viewer
from godwit.web.templating import status_path


def _accept(request: Request) -> str:
    """The image types the form offers (what the media service can process)."""
    types = services(request).media.limits.supported_mime_types
    return ",".join(kind for kind in types if kind.startswith("image/"))


async def _max_chars(request: Request) -> int:
    limit: int = (await instance_essentials(request))["max_status_chars"]
    return limit


async def compose_context(
    request: Request, viewer: Viewer, *, reply_to: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the compose form needs: limits, the member's posting defaults, the reply."""
    preferences = await services(request).member_settings.preferences(viewer.account_id)
    default = preferences.get("posting:default:visibility")
    draft = Draft(
        visibility=reply_visibility(default if isinstance(default, str) else "public", reply_to),
        sensitive=preferences.get("posting:default:sensitive") is True,
        text=reply_mentions(reply_to, viewer.account["acct"]) if reply_to else "",
        in_reply_to_id=int(reply_to["id"]) if reply_to else None,
    )
    return {
        "compose": form_context(
            draft,
            max_chars=await _max_chars(request),
            accept=_accept(request),
            reply_to=reply_to,
        )
    }


async def _reply_entity(request: Request, viewer: Viewer, status_id: int | None) -> Any:
    """The post being answered, as the member may see it (None when gone or hidden)."""
    if status_id is None:
        return None
    try:
        view = await services(request).statuses.get(status_id, viewer.account_id)
    except NotFound:
        return None
    return render_status(view, services(request).settings)


async def compose_page(request: Request) -> Response:
    """GET /compose (?in_reply_to_id=): the form on a page of its own (small screens)."""
    viewer = await require_viewer(request)
    reply_id = parse_id(request.query_params.get("in_reply_to_id"))
    reply_to = await _reply_entity(request, viewer, reply_id)
    if reply_id is not None and reply_to is None:
        raise NotFound()
    return await render(
        request,
        "compose.html",
        {
            **(await compose_context(request, viewer, reply_to=reply_to)),
            # After a reply, the thread it belongs to; after a post, the home timeline.
            "return_to": status_path(reply_to) if reply_to else "/home",
        },
    )


async def _try_again(
    request: Request,
    viewer: Viewer,
    draft: Draft,
    problems: dict[str, str],
    return_to: str,
    *,
    status_code: int = 422,
    headers: dict[str, str] | None = None,
) -> Response:
    """The compose page again (422) with the draft and what stopped it."""
    reply_to = await _reply_entity(request, viewer, draft.in_reply_to_id)
    context = form_context(
        draft,
        max_chars=await _max_chars(request),
        accept=_accept(request),
        reply_to=reply_to,
        problems=problems,
    )
    return await render(
        request,
        "compose.html",
        {"compose": context, "return_to": return_to},
        status_code=status_code,
        headers=headers,
    )


async def _load_kept(request: Request, viewer: Viewer, draft: Draft) -> None:
    """The uploads a rejected try kept: still the member's own and not yet attached."""
    media = services(request).media
    for slot in draft.images:
        if slot.media_id is None:
            continue
        try:
            found = await media.get(viewer.account_id, slot.media_id)
        except NotFound:
            found = None
        if found is None or found.status_id is not None:
            slot.media_id = None  # expired, deleted or someone else's: nothing to keep
            continue
        slot.media = render_media(found, services(request).settings)


async def _upload_new(
    request: Request, viewer: Viewer, form: FormData, draft: Draft, problems: dict[str, str]
) -> None:
    """Process the newly chosen images; a bad one is named, the good ones are kept."""
    media = services(request).media
    for slot in draft.images:
        file = forms.upload(form, f"media_{slot.number}")
        if file is None:
            continue
        try:
            uploaded = await media.upload(
                viewer.account_id, await file.read(), description=slot.description or None
            )
        except Invalid as error:
            problems[f"image_{slot.number}"] = (
                f"Image {slot.number} could not be used: {friendly(error)}"
            )
            continue
        if slot.media_id is not None:
            # A new file chosen in a slot that kept an upload replaces it.
            await _discard(request, viewer, slot.media_id)
        slot.media_id = uploaded.id
        slot.media = render_media(uploaded, services(request).settings)


async def _discard(request: Request, viewer: Viewer, media_id: int) -> None:
    # Already gone, or attached meanwhile: nothing to clean up.
    with contextlib.suppress(NotFound, Invalid):
        await services(request).media.delete(viewer.account_id, media_id)


async def _describe(request: Request, viewer: Viewer, draft: Draft) -> None:
    """Alt text edited after a rejected try is saved before the post is made."""
    for slot in draft.images:
        if slot.media is None or slot.media_id is None or slot.remove:
            continue
        if (slot.media.get("description") or "") != slot.description:
            await services(request).media.update(
                viewer.account_id,
                slot.media_id,
                description=slot.description or None,
                focus=None,
                description_given=True,
            )


async def create_status(request: Request) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request, max_files=MAX_ATTACHMENTS_PER_STATUS)
    try:
        draft = read_draft(form)
        return_to = safe_return_path(forms.text(form, "return_to"), "/home")
        await _load_kept(request, viewer, draft)
        for slot in draft.images:
            if slot.remove and slot.media_id is not None:
                await _discard(request, viewer, slot.media_id)
                slot.media_id, slot.media, slot.remove = None, None, False
        problems: dict[str, str] = {}
        await _upload_new(request, viewer, form, draft, problems)
    finally:
        await form.close()
    media_ids = draft.kept_media_ids
    problems |= check_draft(draft, await _max_chars(request), len(media_ids))
    if problems:
        return await _try_again(request, viewer, draft, problems, return_to)
    notice = "posted"
    try:
        await _describe(request, viewer, draft)
        created = await services(request).statuses.create(
            viewer.account_id,
            PostRequest(
                text=draft.text,
                spoiler_text=draft.spoiler_text,
                sensitive=draft.sensitive,
                visibility=draft.visibility,
                in_reply_to_id=draft.in_reply_to_id,
                idempotency_key=draft.idempotency_key,
                poll=draft.poll_request(),
                media_ids=media_ids,
            ),
            application_id=viewer.credentials.app_id,
        )
        if created.status.review_state == HELD:
            notice = "held_for_review"
        elif created.status.review_state == PENDING:
            notice = "posted_pending"
    except Invalid as error:
        problems[problem_field(error)] = friendly(error)
        return await _try_again(request, viewer, draft, problems, return_to)
    except NotFound:
        # The post being answered was deleted (or hidden) meanwhile: keep the draft.
        draft.in_reply_to_id = None
        problems["form"] = (
            "The post you are replying to is no longer available. Send again to publish "
            "yours on its own."
        )
        return await _try_again(request, viewer, draft, problems, return_to)
    except Forbidden as error:
        problems["form"] = friendly(Invalid(error.message))
        return await _try_again(request, viewer, draft, problems, return_to, status_code=403)
    except RateLimited as error:
        problems["form"] = "You are posting too quickly. Wait a moment, then send it again."
        return await _try_again(
            request,
            viewer,
            draft,
            problems,
            return_to,
            status_code=429,
            headers={"Retry-After": str(error.retry_after)},
        )
    except Conflict:
        pass  # the same post, submitted twice at once: the other request is publishing it
    return redirect(return_to, notice)


routes = [
    web_route("/compose", compose_page),
    web_route("/web/statuses", create_status, ["POST"]),
]
