"""Streaming: WebSocket /api/v1/streaming, the Server-Sent-Events endpoints and health.

A connection holds one pub/sub subscription and the streams it listens to. Events name ids
only; every frame is rendered here for the connection's viewer after the service re-checked
visibility, blocks and mutes at delivery time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from godwit.api.auth import bearer_token
from godwit.api.context import services
from godwit.api.entities.notifications import render_notification
from godwit.api.entities.statuses import render_status
from godwit.domain.errors import Forbidden, Invalid, Unauthorized
from godwit.domain.oauth import Credentials
from godwit.domain.scopes import satisfies
from godwit.domain.streaming import (
    DELETES,
    NOTIFICATION,
    StreamError,
    StreamEvent,
    StreamKey,
    stream_key,
)
from godwit.ports.pubsub import Subscription
from godwit.services.container import Services

QUEUE_SIZE = 500
log = logging.getLogger("godwit.streaming")


@dataclass(frozen=True, slots=True)
class Frame:
    stream: list[str]
    event: str
    payload: str | None


def _dumps(data: Any) -> str:
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode()


async def authenticate(app_services: Services, token: str | None) -> Credentials | None:
    """The token's credentials; None without a token; Unauthorized for a bad one."""
    if not token:
        return None
    credentials = await app_services.oauth.authenticate(token)
    if credentials is None:
        raise Unauthorized("The access token is invalid")
    return credentials


def check_access(app_services: Services, key: StreamKey, credentials: Credentials | None) -> None:
    """User streams need a member's token; public ones a token only when configured."""
    if key.needs_user:
        if credentials is None:
            raise Unauthorized("The access token is invalid")
        if credentials.account_id is None:
            raise Invalid("This method requires an authenticated user")
        scope = "read:notifications" if key.name == "user:notification" else "read:statuses"
        if not (satisfies(credentials.scopes, scope) or satisfies(credentials.scopes, "read")):
            raise Forbidden("This action is outside the authorized scopes")
        return
    if credentials is None:
        if app_services.settings.streaming_public_requires_token:
            raise Unauthorized("The access token is invalid")
        return
    if not satisfies(credentials.scopes, "read:statuses"):
        raise Forbidden("This action is outside the authorized scopes")


class StreamConnection:
    """The streams of one WebSocket or SSE connection and the frames they produce."""

    def __init__(self, app_services: Services, credentials: Credentials | None) -> None:
        self.services = app_services
        self.viewer_id = credentials.account_id if credentials else None
        self.keys: set[StreamKey] = set()
        self.subscription: Subscription | None = None
        self.frames: asyncio.Queue[Frame] = asyncio.Queue(QUEUE_SIZE)
        self._pump: asyncio.Task[None] | None = None

    def _channels(self, keys: set[StreamKey]) -> set[str]:
        return {channel for key in keys for channel in key.channels(self.viewer_id)}

    async def open(self) -> None:
        self.subscription = await self.services.streaming.listen([])
        self._pump = asyncio.create_task(self._run(self.subscription))

    async def add(self, key: StreamKey) -> None:
        assert self.subscription is not None
        new = self._channels({key}) - self._channels(self.keys)
        self.keys.add(key)
        await self.subscription.subscribe(sorted(new))

    async def remove(self, key: StreamKey) -> None:
        assert self.subscription is not None
        self.keys.discard(key)
        gone = self._channels({key}) - self._channels(self.keys)
        await self.subscription.unsubscribe(sorted(gone))

    async def close(self) -> None:
        if self.subscription is not None:
            await self.subscription.close()
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump

    async def _run(self, subscription: Subscription) -> None:
        async for message in subscription:
            event = StreamEvent.decode(message.channel, message.data)
            if event is None:
                continue
            try:
                frames = await self._render(event)
            except Exception:
                # One event that fails to render must not end the connection's stream.
                log.exception("streaming event %s %s not rendered", event.event, event.object_id)
                continue
            for frame in frames:
                with contextlib.suppress(asyncio.QueueFull):  # a stalled client drops frames
                    self.frames.put_nowait(frame)

    async def _render(self, event: StreamEvent) -> list[Frame]:
        keys = sorted(
            (k for k in self.keys if k.wants(event, self.viewer_id)), key=lambda k: k.frame_name
        )
        if not keys:
            return []
        streaming = self.services.streaming
        settings = self.services.settings
        if event.channel == DELETES:
            return [
                Frame(key.frame_name, "delete", str(event.object_id))
                for key in keys
                if await streaming.could_have_seen(event, key, self.viewer_id)
            ]
        if event.event == NOTIFICATION:
            if self.viewer_id is None:
                return []
            notification = await streaming.notification_for(event.object_id, self.viewer_id)
            if notification is None:
                return []
            payload = _dumps(render_notification(notification, settings))
        else:
            view = await streaming.status_for(event.object_id, self.viewer_id)
            if view is None:
                return []  # hidden from this viewer (visibility, block, mute) or deleted
            payload = _dumps(render_status(view, settings))
        return [Frame(key.frame_name, event.event, payload) for key in keys]


# --- WebSocket ------------------------------------------------------------------------


def _ws_token(websocket: WebSocket) -> tuple[str | None, str | None]:
    """(token, subprotocol to echo): Authorization header, ?access_token, or the
    Sec-WebSocket-Protocol header (browsers cannot set headers, so masto.js uses it)."""
    subprotocols = websocket.scope.get("subprotocols") or []
    header = websocket.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), None
    if websocket.query_params.get("access_token"):
        return websocket.query_params["access_token"], None
    if subprotocols:
        return subprotocols[0], subprotocols[0]
    return None, None


def _error(message: str, status: int) -> str:
    return _dumps({"error": message, "status": status})


async def _ws_request(connection: StreamConnection, websocket: WebSocket, raw: str) -> None:
    """A client's {"type": "subscribe"|"unsubscribe", "stream", "tag"} message."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        await websocket.send_text(_error("Could not parse message", 400))
        return
    if not isinstance(data, dict) or data.get("type") not in ("subscribe", "unsubscribe"):
        await websocket.send_text(_error("Unknown message type", 400))
        return
    stream, tag = data.get("stream"), data.get("tag")
    try:
        key = stream_key(
            stream if isinstance(stream, str) else "", tag if isinstance(tag, str) else None
        )
        if data["type"] == "subscribe":
            check_access(connection.services, key, _credentials_of(websocket))
            await connection.add(key)
        else:
            await connection.remove(key)
    except StreamError as error:
        await websocket.send_text(_error(str(error), 400))
    except (Unauthorized, Forbidden, Invalid) as error:
        await websocket.send_text(_error(str(error) or "Access denied", 401))


def _credentials_of(websocket: WebSocket) -> Credentials | None:
    credentials = websocket.scope.get("godwit.credentials")
    return credentials if isinstance(credentials, Credentials) else None


async def _deny(websocket: WebSocket, status: int, message: str) -> None:
    response = Response(_error(message, status), status, media_type="application/json")
    try:
        await websocket.send_denial_response(response)
    except RuntimeError:  # the server cannot send HTTP denials: refuse the handshake
        await websocket.close(code=1008)


async def websocket_streaming(websocket: WebSocket) -> None:
    app_services: Services = websocket.app.state.services
    token, subprotocol = _ws_token(websocket)
    initial: StreamKey | None = None
    try:
        credentials = await authenticate(app_services, token)
        websocket.scope["godwit.credentials"] = credentials
        if websocket.query_params.get("stream"):
            initial = stream_key(
                websocket.query_params["stream"], websocket.query_params.get("tag")
            )
            check_access(app_services, initial, credentials)
        elif credentials is None and app_services.settings.streaming_public_requires_token:
            raise Unauthorized("The access token is invalid")
    except StreamError as error:
        await _deny(websocket, 400, str(error))
        return
    except (Unauthorized, Forbidden, Invalid) as error:
        await _deny(websocket, 401, str(error) or "Access denied")
        return
    await websocket.accept(subprotocol=subprotocol)
    connection = StreamConnection(app_services, credentials)
    await connection.open()
    if initial is not None:
        await connection.add(initial)
    sender = asyncio.create_task(_send_frames(connection, websocket))
    try:
        while True:
            message = await websocket.receive_text()
            await _ws_request(connection, websocket, message)
    except WebSocketDisconnect:
        pass
    finally:
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender
        await connection.close()


async def _send_frames(connection: StreamConnection, websocket: WebSocket) -> None:
    while True:
        frame = await connection.frames.get()
        body: dict[str, Any] = {"stream": frame.stream, "event": frame.event}
        if frame.payload is not None:
            body["payload"] = frame.payload
        await websocket.send_text(_dumps(body))


# --- Server-Sent Events -----------------------------------------------------------------


def _sse_endpoint(stream_name: str) -> Any:
    async def endpoint(request: Request) -> Response:
        app_services = services(request)
        token = bearer_token(request) or request.query_params.get("access_token")
        credentials = await authenticate(app_services, token)
        try:
            key = stream_key(stream_name, request.query_params.get("tag"))
        except StreamError as error:
            raise Invalid(str(error)) from None
        check_access(app_services, key, credentials)
        connection = StreamConnection(app_services, credentials)
        await connection.open()
        await connection.add(key)
        heartbeat = max(1, app_services.settings.streaming_heartbeat_seconds)
        return StreamingResponse(
            _sse_body(connection, heartbeat),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    endpoint.__name__ = "stream_" + stream_name.replace(":", "_")
    return endpoint


async def _sse_body(connection: StreamConnection, heartbeat: float) -> AsyncIterator[str]:
    try:
        yield ":)\n\n"  # opens the stream at once, so clients and proxies see it is live
        while True:
            try:
                frame = await asyncio.wait_for(connection.frames.get(), heartbeat)
            except TimeoutError:
                yield ":thump\n\n"
                continue
            data = frame.payload if frame.payload is not None else ""
            yield f"event: {frame.event}\ndata: {data}\n\n"
    finally:
        await connection.close()


async def health(_request: Request) -> Response:
    return PlainTextResponse("OK")


SSE_PATHS = {
    "user": "/api/v1/streaming/user",
    "user:notification": "/api/v1/streaming/user/notification",
    "public": "/api/v1/streaming/public",
    "public:local": "/api/v1/streaming/public/local",
    "public:remote": "/api/v1/streaming/public/remote",
    "hashtag": "/api/v1/streaming/hashtag",
    "hashtag:local": "/api/v1/streaming/hashtag/local",
}

routes: list[BaseRoute] = [
    Route("/api/v1/streaming/health", health, methods=["GET"]),
    *(Route(path, _sse_endpoint(name), methods=["GET"]) for name, path in SSE_PATHS.items()),
    WebSocketRoute("/api/v1/streaming", websocket_streaming),
    WebSocketRoute("/api/v1/streaming/", websocket_streaming),
]
