"""Map domain errors and parsing failures to Mastodon's JSON errors. Never a bare 500."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from godwit.api.http import BodyTooLarge, MalformedBody, error_response
from godwit.api.middleware import REQUEST_ID_SCOPE_KEY
from godwit.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    Unauthorized,
    Unavailable,
)

log = logging.getLogger("godwit.api")


def domain_error_response(error: DomainError) -> Response:
    if isinstance(error, NotFound):
        return error_response(404, error.message)
    if isinstance(error, Unauthorized):
        return error_response(401, error.message)
    if isinstance(error, Forbidden):
        return error_response(403, error.message)
    if isinstance(error, Invalid):
        details = {
            field: [{"error": code, "description": text} for code, text in problems]
            for field, problems in error.details.items()
        }
        return error_response(422, error.message, extra={"details": details} if details else None)
    if isinstance(error, Conflict):
        return error_response(409, error.message)
    if isinstance(error, RateLimited):
        return _retry_later(429, error.message, error.retry_after)
    if isinstance(error, Unavailable):
        return _retry_later(503, error.message, error.retry_after)
    return error_response(422, error.message)


def _retry_later(status: int, message: str, retry_after: int) -> Response:
    response = error_response(status, message)
    response.headers["Retry-After"] = str(retry_after)
    return response


async def on_domain_error(_request: Request, error: Exception) -> Response:
    assert isinstance(error, DomainError)
    return domain_error_response(error)


async def on_body_too_large(_request: Request, _error: Exception) -> Response:
    return error_response(413, "The request body is too large")


async def on_malformed_body(_request: Request, error: Exception) -> Response:
    return error_response(400, str(error) or "The request body could not be parsed")


async def on_http_exception(_request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = {404: "Record not found", 405: "Method not allowed"}.get(
        error.status_code, str(error.detail)
    )
    response = error_response(error.status_code, message, extra=None)
    response.headers.update(error.headers or {})  # e.g. Allow on a 405
    return response


async def on_client_disconnect(request: Request, _error: Exception) -> Response:
    # The client went away while sending its body (a timeout, a closed app): nothing was
    # read, so nothing was written, and there is no one to answer. Not a server error.
    log.debug("client disconnected during %s %s", request.method, request.url.path)
    return error_response(400, "The client closed the request")


async def on_unexpected(request: Request, error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    response = error_response(500, "Internal server error")
    # A 500 is sent from outside the middleware stack, so the request id is added here.
    request_id = request.scope.get(REQUEST_ID_SCOPE_KEY)
    if request_id:
        response.headers["X-Request-Id"] = request_id
    return response


EXCEPTION_HANDLERS = {
    DomainError: on_domain_error,
    BodyTooLarge: on_body_too_large,
    MalformedBody: on_malformed_body,
    HTTPException: on_http_exception,
    ClientDisconnect: on_client_disconnect,
    Exception: on_unexpected,
}
