"""Request parsing and JSON responses shared by every API endpoint.

Mastodon clients send parameters as query strings, urlencoded forms, multipart forms or
JSON; arrays as ``k[]`` and nested keys as ``a[b]``. ``read_params`` folds all of them into
one ``Params`` mapping, and ``Params`` getters turn wrong types into a 422, never a 500.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.errors import Invalid
from godwit.domain.ids import parse_id
from godwit.domain.pagination import PageRequest, clamp_limit

_KEY_PART = re.compile(r"\[([^\]]*)\]")


class BodyTooLarge(Exception):
    pass


class MalformedBody(Exception):
    pass


def json_response(
    data: Any, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS),
        status_code=status_code,
        headers=dict(headers or {}),
        media_type="application/json",
    )


def error_response(
    status_code: int, message: str, *, extra: Mapping[str, Any] | None = None
) -> Response:
    body: dict[str, Any] = {"error": message}
    if extra:
        body.update(extra)
    return json_response(body, status_code)


def _set_nested(target: dict[str, Any], key: str, value: Any) -> None:
    """Store ``value`` under a Rails-style key: ``a``, ``a[]``, ``a[b]``, ``a[b][]``, ``a[0][b]``.

    Malformed shapes (a key used both as a scalar and as a container) keep the first value.
    """
    head, _, rest = key.partition("[")
    if not rest:
        target[key] = value
        return
    parts = [head, *_KEY_PART.findall("[" + rest)]
    node: Any = target
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        next_is_list = not last and parts[index + 1] == ""
        if last:
            if part == "" and isinstance(node, list):
                node.append(value)
            elif isinstance(node, dict):
                node[part] = value
            return
        if part == "" and isinstance(node, list):
            # "a[][b]": start a new element unless the last one lacks this key
            if not node or not isinstance(node[-1], dict) or parts[index + 1] in node[-1]:
                node.append({})
            node = node[-1]
            continue
        if not isinstance(node, dict):
            return
        child = node.get(part)
        if child is None or not isinstance(child, list | dict):
            child = [] if next_is_list else {}
            node[part] = child
        node = child


def _fold(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        _set_nested(result, key, value)
    return result


async def read_body(request: Request, max_bytes: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def read_params(request: Request, max_bytes: int) -> Params:
    """Query parameters overlaid with the body, whatever its encoding."""
    pairs: list[tuple[str, Any]] = list(request.query_params.multi_items())
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method == "GET" and content_type == "application/json":
        # As Rails does for Mastodon: some clients send a GET's parameters as a JSON body
        # (Mastodon.py's account_familiar_followers does).
        raw = await read_body(request, max_bytes)
        if raw.strip():
            pairs.extend(_parse_raw(raw, content_type))
    elif request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if content_type == "multipart/form-data":
            declared = request.headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise BodyTooLarge
            try:
                form = await request.form(max_part_size=max_bytes)
            except Exception as error:  # python-multipart raises several types
                raise MalformedBody(str(error)) from error
            pairs.extend(form.multi_items())
        else:
            raw = await read_body(request, max_bytes)
            if raw.strip():
                pairs.extend(_parse_raw(raw, content_type))
    return Params(_fold(pairs))


def _parse_raw(raw: bytes, content_type: str) -> list[tuple[str, Any]]:
    if content_type == "application/json" or (not content_type and raw.lstrip()[:1] in b"{["):
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise MalformedBody("Malformed JSON body") from error
        if not isinstance(data, dict):
            raise MalformedBody("The JSON body must be an object")
        return list(data.items())
    if content_type in ("application/x-www-form-urlencoded", ""):
        try:
            # strict: percent-escapes that decode to invalid UTF-8 are refused, not replaced
            return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError as error:
            raise MalformedBody("The body is not valid UTF-8") from error
    raise MalformedBody(f"Unsupported content type {content_type}")


def _invalid(name: str, description: str) -> Invalid:
    return Invalid(
        f"Validation failed: {name} {description}", {name: [("ERR_INVALID", description)]}
    )


_TRUE = {"true", "1", "on", "yes", "t"}
_FALSE = {"false", "0", "off", "no", "f", ""}


class Params:
    """Typed access to request parameters; a wrong type raises ``Invalid`` (HTTP 422)."""

    def __init__(self, data: builtins.dict[builtins.str, Any]) -> None:
        self.data = data

    def __contains__(self, name: builtins.str) -> builtins.bool:
        return name in self.data

    def raw(self, name: builtins.str) -> Any:
        return self.data.get(name)

    def str(
        self,
        name: builtins.str,
        default: builtins.str | None = None,
        *,
        max_length: builtins.int = 100_000,
    ) -> builtins.str | None:
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool | int | float):
            value = str(value).lower() if isinstance(value, bool) else str(value)
        if not isinstance(value, str):
            raise _invalid(name, "must be a string")
        if len(value) > max_length:
            raise _invalid(name, f"is too long (maximum is {max_length} characters)")
        if "\x00" in value:
            raise _invalid(name, "must not contain NUL characters")
        return value

    def required_str(
        self, name: builtins.str, *, max_length: builtins.int = 100_000
    ) -> builtins.str:
        value = self.str(name, max_length=max_length)
        if value is None or not value.strip():
            raise Invalid(
                f"Validation failed: {name} can't be blank",
                {name: [("ERR_BLANK", "can't be blank")]},
            )
        return value

    def bool(
        self, name: builtins.str, default: builtins.bool | None = None
    ) -> builtins.bool | None:
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise _invalid(name, "must be a boolean")

    def int(self, name: builtins.str, default: builtins.int | None = None) -> builtins.int | None:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise _invalid(name, "must be an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and re.fullmatch(r"-?\d{1,18}", value.strip()):
            return int(value.strip())
        raise _invalid(name, "must be an integer")

    def id(self, name: builtins.str) -> builtins.int | None:
        """An optional ID parameter. A malformed ID is a 422; a well-formed unknown one is
        the caller's 404 to raise."""
        value = self.data.get(name)
        if value is None or value == "":
            return None
        parsed = parse_id(value)
        if parsed is None:
            raise _invalid(name, "must be an ID")
        return parsed

    def list(self, name: builtins.str) -> builtins.list[Any]:
        """``name[]=a&name[]=b``, ``name=a`` or a JSON array, always as a list."""
        value = self.data.get(name)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        if isinstance(value, dict):
            return [value[key] for key in sorted(value, key=_sort_key)]
        return [value]

    def str_list(
        self, name: builtins.str, *, max_items: builtins.int = 100
    ) -> builtins.list[builtins.str]:
        items = self.list(name)
        if len(items) > max_items:
            raise _invalid(name, f"has too many items (maximum is {max_items})")
        if not all(isinstance(item, str) for item in items):
            raise _invalid(name, "must be a list of strings")
        # As for str(): PostgreSQL refuses NUL in text, which would surface as a 500.
        if any("\x00" in item for item in items):
            raise _invalid(name, "must not contain NUL characters")
        return [str(item) for item in items]

    def id_list(
        self, name: builtins.str, *, max_items: builtins.int = 100
    ) -> builtins.list[builtins.int]:
        items = self.list(name)
        if len(items) > max_items:
            raise _invalid(name, f"has too many items (maximum is {max_items})")
        ids = [parse_id(item) for item in items]
        if any(parsed is None for parsed in ids):
            raise _invalid(name, "must be a list of IDs")
        return [parsed for parsed in ids if parsed is not None]

    def dict(self, name: builtins.str) -> builtins.dict[builtins.str, Any]:
        value = self.data.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise _invalid(name, "must be an object")
        return value

    def file(self, name: builtins.str) -> UploadFile | None:
        value = self.data.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, UploadFile):
            raise _invalid(name, "must be a file upload")
        return value

    def page(self, default_limit: builtins.int = 20, max_limit: builtins.int = 40) -> PageRequest:
        return PageRequest(
            limit=clamp_limit(self.int("limit"), default_limit, max_limit),
            max_id=self.id("max_id"),
            since_id=self.id("since_id"),
            min_id=self.id("min_id"),
        )


def _sort_key(key: str) -> tuple[int, str]:
    # isascii(): str.isdigit() is also true of "³" or "٣", which int() refuses.
    return (int(key), "") if key.isascii() and key.isdigit() else (1 << 62, key)


def link_header(request: Request, ids: Sequence[int] | Sequence[str]) -> dict[str, str]:
    """The ``Link`` header Mastodon sends with a page: next = older, prev = newer."""
    if not ids:
        return {}
    keep = [
        (key, value)
        for key, value in request.query_params.multi_items()
        if key not in ("max_id", "min_id", "since_id")
    ]
    base = str(request.url.replace(query=""))
    newest, oldest = ids[0], ids[-1]
    next_url = f"{base}?{urlencode([*keep, ('max_id', str(oldest))])}"
    prev_url = f"{base}?{urlencode([*keep, ('min_id', str(newest))])}"
    return {"Link": f'<{next_url}>; rel="next", <{prev_url}>; rel="prev"'}
