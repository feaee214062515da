"""One streaming connection (WebSocket or SSE): its access checks, its session, its frames.

The session (``godwit.services.stream_session``) decides what each event delivers to the
connection's viewer; this module renders each delivery into a Mastodon frame and queues
it for the transport. A stalled client drops frames instead of growing memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import orjson

from godwit.config import Settings
from godwit.domain.errors import Forbidden, Invalid, Unauthorized
from godwit.domain.oauth import Credentials
from godwit.domain.posts import StatusView
from godwit.domain.scopes import satisfies
from godwit.domain.streams import USER_NOTIFICATION, StreamKey
from godwit.entities.notifications import render_notification
from godwit.entities.scheduling import render_conversation
from godwit.entities.statuses import render_status
from godwit.services.container import Services
from godwit.services.conversations import ConversationView
from godwit.services.notifications import NotificationView
from godwit.services.stream_session import Delivery, StreamSession

QUEUE_SIZE = 500
LIST_REFUSED = "Not authorized to stream this list"
log = logging.getLogger("godwit.streaming")


@dataclass(frozen=True, slots=True)
class Frame:
    stream: list[str]
    event: str
    payload: str | None


def dumps(data: Any) -> str:
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode()


async def authenticate(app_services: Services, token: str | None) -> Credentials | None:
    """The token's credentials; None without a token; Unauthorized for a bad one."""
    if not token:
        return None
    credentials = await app_services.oauth.authenticate(token)
    if credentials is None:
        raise Unauthorized("The access token is invalid")
    if credentials.refusal is not None:  # pending approval or disabled
        raise Forbidden(credentials.refusal)
    return credentials


def check_access(app_services: Services, key: StreamKey, credentials: Credentials | None) -> None:
    """Member streams (user, list, direct) need a member's token; public ones a token
    only when configured."""
    if key.needs_user:
        if credentials is None:
            raise Unauthorized("The access token is invalid")
        if credentials.account_id is None:
            raise Invalid("This method requires an authenticated user")
        scope = "read:notifications" if key.name == USER_NOTIFICATION else "read:statuses"
        if not (satisfies(credentials.scopes, scope) or satisfies(credentials.scopes, "read")):
            raise Forbidden("This action is outside the authorized scopes")
        return
    if credentials is None:
        if app_services.settings.streaming_public_requires_token:
            raise Unauthorized("The access token is invalid")
        return
    if not satisfies(credentials.scopes, "read:statuses"):
        raise Forbidden("This action is outside the authorized scopes")


def render_delivery(delivery: Delivery, settings: Settings) -> Frame:
    """Payloads are JSON strings (statuses, notifications, conversations), a bare id
    (delete) or nothing (filters_changed), as Mastodon sends them."""
    item = delivery.item
    payload: str | None
    if isinstance(item, StatusView):
        payload = dumps(render_status(item, settings))
    elif isinstance(item, NotificationView):
        payload = dumps(render_notification(item, settings))
    elif isinstance(item, ConversationView):
        payload = dumps(render_conversation(item, settings))
    elif isinstance(item, int):
        payload = str(item)
    else:
        payload = None
    return Frame(delivery.key.frame_name, delivery.event, payload)


class StreamConnection:
    """The streams of one WebSocket or SSE connection and the frames they produce."""

    def __init__(self, app_services: Services, credentials: Credentials | None) -> None:
        self.services = app_services
        self.viewer_id = credentials.account_id if credentials else None
        self.session = StreamSession(app_services.streaming, self.viewer_id)
        self.frames: asyncio.Queue[Frame] = asyncio.Queue(QUEUE_SIZE)
        self._pump: asyncio.Task[None] | None = None

    @property
    def keys(self) -> set[StreamKey]:
        return self.session.keys

    async def open(self) -> None:
        await self.session.open()
        self._pump = asyncio.create_task(self._run())

    async def add(self, key: StreamKey) -> None:
        """NotFound for a list that is not the viewer's."""
        await self.session.add(key)

    async def remove(self, key: StreamKey) -> None:
        await self.session.remove(key)

    async def close(self) -> None:
        await self.session.close()
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump

    async def _run(self) -> None:
        async for deliveries in self.session.deliveries():
            for delivery in deliveries:
                try:
                    frame = render_delivery(delivery, self.services.settings)
                except Exception:
                    log.exception("streaming %s not rendered", delivery.event)
                    continue
                with contextlib.suppress(asyncio.QueueFull):  # a stalled client drops frames
                    self.frames.put_nowait(frame)
