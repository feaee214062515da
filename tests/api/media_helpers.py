"""Shared helpers for the media API tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import Member
from tests.media.images import jpeg_with_gps


async def upload(
    client: httpx.AsyncClient,
    member: Member,
    data: bytes | None = None,
    *,
    path: str = "/api/v2/media",
    filename: str = "photo.jpg",
    content_type: str = "image/jpeg",
    **fields: str,
) -> httpx.Response:
    return await client.post(
        path,
        headers=member.headers,
        files={"file": (filename, jpeg_with_gps() if data is None else data, content_type)},
        data=fields,
    )


async def uploaded(client: httpx.AsyncClient, member: Member, **fields: Any) -> dict[str, Any]:
    response = await upload(client, member, **fields)
    assert response.status_code == 200, response.text
    entity = response.json()
    assert isinstance(entity, dict)
    return entity


async def fetch_file(client: httpx.AsyncClient, url: str) -> httpx.Response:
    """GET a media URL (https://godwit.test/media/...) from the in-process app."""
    return await client.get(url.replace("https://godwit.test", ""))
