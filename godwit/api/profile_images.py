"""Removing one's avatar or header: DELETE /api/v1/profile/avatar and /api/v1/profile/header
(Mastodon 4.2). The default image is shown again; the old files are deleted by a job once
the change commits, as when update_credentials replaces them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import services
from godwit.api.http import json_response
from godwit.domain.media import ImagePurpose
from godwit.entities.accounts import render_credential_account


async def _remove(request: Request, purpose: ImagePurpose) -> Response:
    creds = await require_user(request, "write:accounts")
    assert creds.account_id is not None
    wired = services(request)
    await wired.media.remove_profile_image(creds.account_id, purpose)
    own = await wired.accounts.credentials(creds.account_id)
    entity = render_credential_account(
        own.account, own.user, wired.settings, follow_requests_count=own.follow_requests_count
    )
    return json_response(entity)


async def remove_avatar(request: Request) -> Response:
    return await _remove(request, ImagePurpose.AVATAR)


async def remove_header(request: Request) -> Response:
    return await _remove(request, ImagePurpose.HEADER)


routes: list[BaseRoute] = [
    Route("/api/v1/profile/avatar", remove_avatar, methods=["DELETE"]),
    Route("/api/v1/profile/header", remove_header, methods=["DELETE"]),
]
