"""Live timelines for the web app: Server-Sent Events carrying rendered status cards.

``GET /web/live/{timeline}`` (home, local, public, tag:<name>, list:<id>) is what
10-live.js opens with ``EventSource``. It rides on the streaming service the client API
uses: one ``StreamSession`` per connection, whose every delivery is re-checked for the
viewer (visibility, blocks, mutes, filters) at the moment it is sent. Each ``update`` (and
``status.update``) is the HTML of the status card, rendered by the same macro as the page,
for that viewer, with a CSRF token so its buttons work; ``delete`` carries the id.

A connection is bounded: a stalled reader has events dropped rather than queued without
end, the session cookie is re-checked at every heartbeat (the stream ends with an ``end``
event once the member signs out or is suspended), and it closes after ``MAX_SECONDS`` so
the browser reconnects with a fresh check.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from godwit.domain.errors import NotFound
from godwit.domain.posts import StatusView
from godwit.domain.streaming import DELETE, STATUS_UPDATE, UPDATE
from godwit.domain.streams import StreamError, StreamKey, stream_key
from godwit.entities.statuses import render_status
from godwit.services.container import Services
from godwit.services.stream_session import Delivery, StreamSession
from godwit.web import csrf
from godwit.web.context import services
from godwit.web.session import Viewer, current_viewer, session_token
from godwit.web.templating import ENVIRONMENT

log = logging.getLogger("godwit.web.live")

MAX_QUEUED = 100  # rendered events waiting for a slow reader; more are dropped
MAX_SECONDS = 30 * 60  # then the stream ends and the browser reconnects
RETRY_MILLISECONDS = 5000  # how long the browser waits before reconnecting by itself
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class LiveTimeline:
    key: StreamKey
    page: str  # the page showing this timeline: where the cards' forms send the reader back


def live_timeline(name: str) -> LiveTimeline | None:
    """The stream behind a timeline name of the web app, None for an unknown one."""
    kind, _, argument = name.partition(":")
    try:
        if name == "home":
            return LiveTimeline(stream_key("user"), "/home")
        if name == "local":
            return LiveTimeline(stream_key("public:local"), "/public/local")
        if name == "public":
            return LiveTimeline(stream_key("public"), "/public")
        if kind == "tag" and argument:
            key = stream_key("hashtag", argument)
            return LiveTimeline(key, "/tags/" + quote(key.tag or "", safe=""))
        if kind == "list" and argument:
            key = stream_key("list", None, argument)
            return LiveTimeline(key, f"/lists/{key.list_id}")
    except StreamError:
        return None
    return None


def sse_event(event: str, data: str) -> str:
    """One event; every line of ``data`` gets its own ``data:`` field, as SSE requires."""
    lines = _LINE_BREAKS.split(data)
    return f"event: {event}\n" + "".join(f"data: {line}\n" for line in lines) + "\n"


class LiveFeed:
    """One browser's live timeline: its stream session and the events rendered for it."""

    def __init__(
        self,
        wired: Services,
        viewer: Viewer | None,
        timeline: LiveTimeline,
        csrf_token: str,
        session_cookie: str | None,
    ) -> None:
        self.services = wired
        self.viewer = viewer
        self.timeline = timeline
        self.csrf_token = csrf_token
        self.session_cookie = session_cookie
        self.session = StreamSession(wired.streaming, viewer.account_id if viewer else None)
        self.events: asyncio.Queue[str] = asyncio.Queue(MAX_QUEUED)
        self._pump: asyncio.Task[None] | None = None

    async def open(self) -> None:
        """Listen before answering, so nothing published after the answer is missed.
        NotFound for a list that is not the viewer's."""
        await self.session.open()
        try:
            await self.session.add(self.timeline.key)
        except BaseException:
            await self.session.close()
            raise
        self._pump = asyncio.create_task(self._run())

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
                    rendered = self.render(delivery)
                except Exception:
                    log.exception("live %s not rendered", delivery.event)
                    continue
                if rendered is None:
                    continue
                try:
                    self.events.put_nowait(rendered)
                except asyncio.QueueFull:
                    # The reader is not keeping up: it finds the post on its next reload.
                    log.debug("live event dropped for a slow reader")

    def render(self, delivery: Delivery) -> str | None:
        """The SSE text of a delivery (other kinds, such as notifications, are skipped)."""
        item = delivery.item
        if delivery.event == DELETE and isinstance(item, int):
            return sse_event(DELETE, str(item))
        if delivery.event in (UPDATE, STATUS_UPDATE) and isinstance(item, StatusView):
            return sse_event(delivery.event, self.card(item))
        return None

    def card(self, view: StatusView) -> str:
        macros = ENVIRONMENT.get_template("macros/status.html").module
        entity = render_status(view, self.services.settings)
        html = macros.status_card(entity, self.viewer, self.csrf_token, self.timeline.page)  # type: ignore[attr-defined]
        return str(html).strip()

    async def still_allowed(self) -> bool:
        """Whether the browser session that opened the stream is still signed in."""
        if self.viewer is None:
            return True
        if self.session_cookie is None:
            return False
        credentials = await self.services.web_sessions.resume(self.session_cookie)
        if credentials is None or credentials.refusal is not None:
            return False
        if credentials.account_id != self.viewer.account_id:
            return False
        try:
            account = await self.services.accounts.get(self.viewer.account_id)
        except NotFound:
            return False
        return not account.suspended

    async def body(self, heartbeat: float) -> AsyncIterator[str]:
        try:
            # ":)" first: the stream listens, nothing published from now on is missed.
            yield f":)\nretry: {RETRY_MILLISECONDS}\n\n"
            started = next_check = time.monotonic()
            next_check += heartbeat
            while (now := time.monotonic()) < started + MAX_SECONDS:
                if now >= next_check:
                    if not await self.still_allowed():
                        yield sse_event("end", "signed-out")
                        return
                    next_check = now + heartbeat
                try:
                    yield await asyncio.wait_for(self.events.get(), next_check - now)
                except TimeoutError:
                    yield ":thump\n\n"
        finally:
            await self.close()


async def live(request: Request) -> Response:
    wired = services(request)
    timeline = live_timeline(str(request.path_params["timeline"]))
    if timeline is None:
        return PlainTextResponse("No such timeline.", status_code=404)
    viewer = await current_viewer(request)
    if viewer is None and (
        timeline.key.needs_user or wired.settings.streaming_public_requires_token
    ):
        return PlainTextResponse("Sign in to follow this timeline live.", status_code=401)
    token, new_cookie = csrf.form_token(request)
    feed = LiveFeed(wired, viewer, timeline, token, session_token(request))
    try:
        await feed.open()
    except NotFound:
        return PlainTextResponse("No such timeline.", status_code=404)
    response = StreamingResponse(
        feed.body(max(1.0, float(wired.settings.streaming_heartbeat_seconds))),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
    csrf.set_cookie(request, response, new_cookie)
    return response


routes: list[BaseRoute] = [Route("/web/live/{timeline}", live, methods=["GET"])]
