"""Reading an HTML form safely: size limits, CSRF check, typed fields.

Every state-changing page handler reads its form here, so no POST is acted on without a
valid CSRF token (``csrf.py``) and no field of the wrong shape reaches a service.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from godwit.web import csrf
from godwit.web.context import services

MAX_FIELD = 10_000
MAX_FIELDS = 200


class FormRejected(Exception):
    """A form that cannot be acted on at all: shown as an error page with ``status``."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


async def read_form(request: Request, *, max_files: int = 0) -> FormData:
    limit = services(request).settings.max_body_bytes
    if max_files:
        limit = max(limit, services(request).settings.media_max_image_bytes * max_files + limit)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FormRejected(413, "Request too large", "The form is too large to be sent.")
    try:
        form = await request.form(max_files=max_files, max_fields=MAX_FIELDS)
    except Exception as error:  # python-multipart raises several types on malformed bodies
        raise FormRejected(400, "Bad request", "The form could not be read.") from error
    if not csrf.is_valid(request, form.get(csrf.FIELD_NAME)):
        await form.close()
        raise FormRejected(
            403,
            "The form has expired",
            "The form was not sent from this site, or it has expired. Go back, reload the "
            "page and try again.",
        )
    return form


def text(form: Mapping[str, Any], name: str, *, max_length: int = MAX_FIELD) -> str:
    """A text field ("" when absent, not text, or holding NUL), cut to ``max_length``."""
    value = form.get(name)
    if not isinstance(value, str) or "\x00" in value:
        return ""
    return value[:max_length]


def texts(
    form: FormData, name: str, *, max_items: int = 50, max_length: int = MAX_FIELD
) -> list[str]:
    values = [value for value in form.getlist(name) if isinstance(value, str)]
    return [value[:max_length] for value in values[:max_items] if "\x00" not in value]


def checked(form: Mapping[str, Any], name: str) -> bool:
    return text(form, name) in ("1", "on", "true", "yes")


def upload(form: Mapping[str, Any], name: str) -> UploadFile | None:
    """A non-empty uploaded file (browsers send an empty part for an untouched file input)."""
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename and (value.size or 0) > 0:
        return value
    return None
