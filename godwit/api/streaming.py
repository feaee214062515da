"""Streaming: WebSocket /api/v1/streaming, the Server-Sent-Events endpoints and health.

A connection holds one ``StreamSession`` (one pub/sub subscription, the streams it listens
to). Events name ids only; the session re-checks visibility, blocks, mutes and filters for
the connection's viewer, and every frame is rendered here for that viewer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from godwit.api.auth import bearer_token
from godwit.api.context import services
from godwit.api.stream_connection import (
    LIST_REFUSED,
    StreamConnection,
    authenticate,
    check_access,
    dumps,
)
from godwit.domain.errors import Forbidden, Invalid, NotFound, Unauthorized
from godwit.domain.oauth import Credentials
from godwit.domain.streams import MEDIA_SUFFIX, StreamError, StreamKey, stream_key
from godwit.services.container import Services

log = logging.getLogger("godwit.streaming")


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
    return dumps({"error": message, "status": status})


def _param(data: dict[str, Any], name: str) -> str | int | None:
    value = data.get(name)
    return value if isinstance(value, str | int) and not isinstance(value, bool) else None


async def _ws_request(connection: StreamConnection, websocket: WebSocket, raw: str) -> None:
    """A client's {"type": "subscribe"|"unsubscribe", "stream", "tag"|"list"} message."""
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
            stream if isinstance(stream, str) else "",
            tag if isinstance(tag, str) else None,
            _param(data, "list"),
        )
        if data["type"] == "subscribe":
            check_access(connection.services, key, _credentials_of(websocket))
            await connection.add(key)
        else:
            await connection.remove(key)
    except StreamError as error:
        await websocket.send_text(_error(str(error), 400))
    except NotFound:
        await websocket.send_text(_error(LIST_REFUSED, 401))
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


def _initial_key(websocket: WebSocket) -> StreamKey | None:
    """The stream named on the connect URL (?stream=&tag=&list=), if any."""
    query = websocket.query_params
    if not query.get("stream"):
        return None
    return stream_key(query["stream"], query.get("tag"), query.get("list"))


async def websocket_streaming(websocket: WebSocket) -> None:
    app_services: Services = websocket.app.state.services
    token, subprotocol = _ws_token(websocket)
    connection: StreamConnection | None = None
    try:
        credentials = await authenticate(app_services, token)
        websocket.scope["godwit.credentials"] = credentials
        initial = _initial_key(websocket)
        if initial is not None:
            check_access(app_services, initial, credentials)
        elif credentials is None and app_services.settings.streaming_public_requires_token:
            raise Unauthorized("The access token is invalid")
        connection = StreamConnection(app_services, credentials)
        await connection.open()
        if initial is not None:
            await connection.add(initial)  # before accepting: a list that is not theirs
    except StreamError as error:
        await _refuse(websocket, connection, 400, str(error))
        return
    except NotFound:
        await _refuse(websocket, connection, 401, LIST_REFUSED)
        return
    except (Unauthorized, Forbidden, Invalid) as error:
        await _refuse(websocket, connection, 401, str(error) or "Access denied")
        return
    await websocket.accept(subprotocol=subprotocol)
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


async def _refuse(
    websocket: WebSocket, connection: StreamConnection | None, status: int, message: str
) -> None:
    if connection is not None:
        await connection.close()
    await _deny(websocket, status, message)


async def _send_frames(connection: StreamConnection, websocket: WebSocket) -> None:
    while True:
        frame = await connection.frames.get()
        body: dict[str, Any] = {"stream": frame.stream, "event": frame.event}
        if frame.payload is not None:
            body["payload"] = frame.payload
        await websocket.send_text(dumps(body))


# --- Server-Sent Events -----------------------------------------------------------------


def _truthy(value: str | None) -> bool:
    """Mastodon's isTruthy: anything but empty, 0, f(alse), n(o) and off."""
    return value is not None and value.strip().lower() not in (
        "",
        "0",
        "f",
        "false",
        "n",
        "no",
        "off",
    )


def _sse_endpoint(stream_name: str) -> Any:
    async def endpoint(request: Request) -> Response:
        app_services = services(request)
        query = request.query_params
        token = bearer_token(request) or query.get("access_token")
        credentials = await authenticate(app_services, token)
        name = stream_name
        if name.startswith("public") and _truthy(query.get("only_media")):
            name += MEDIA_SUFFIX  # public:media, public:local:media, public:remote:media
        try:
            key = stream_key(name, query.get("tag"), query.get("list"))
        except StreamError as error:
            raise Invalid(str(error)) from None
        check_access(app_services, key, credentials)
        connection = StreamConnection(app_services, credentials)
        await connection.open()
        try:
            await connection.add(key)
        except NotFound:
            await connection.close()
            raise Unauthorized(LIST_REFUSED) from None
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
            # An event without payload (filters_changed) says "undefined", as Mastodon does.
            data = frame.payload if frame.payload is not None else "undefined"
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
    "list": "/api/v1/streaming/list",
    "direct": "/api/v1/streaming/direct",
}

routes: list[BaseRoute] = [
    Route("/api/v1/streaming/health", health, methods=["GET"]),
    *(Route(path, _sse_endpoint(name), methods=["GET"]) for name, path in SSE_PATHS.items()),
    WebSocketRoute("/api/v1/streaming", websocket_streaming),
    WebSocketRoute("/api/v1/streaming/", websocket_streaming),
]
