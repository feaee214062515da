"""Filter endpoints: /api/v2/filters (with keywords and statuses) and the v1 /api/v1/filters."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import params, services
from godwit.api.http import Params, json_response
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.filters import CONTEXTS, MAX_KEYWORDS_PER_FILTER, KeywordChange
from godwit.domain.ids import parse_id
from godwit.entities.filters import (
    render_filter,
    render_filter_keyword,
    render_filter_status,
    render_filters,
    render_v1_filter,
)
from godwit.services.filters import FilterChanges

READ, WRITE = "read:filters", "write:filters"


async def _viewer(request: Request, scope: str) -> int:
    credentials = await require_user(request, scope)
    assert credentials.account_id is not None
    return credentials.account_id


def _path_id(request: Request, name: str = "id") -> int:
    parsed = parse_id(request.path_params[name])
    if parsed is None:
        raise NotFound()
    return parsed


def _context(p: Params) -> list[str] | None:
    if "context" not in p:
        return None
    return p.str_list("context", max_items=2 * len(CONTEXTS))


def _keyword_changes(p: Params) -> tuple[KeywordChange, ...]:
    items = p.list("keywords_attributes")
    if len(items) > MAX_KEYWORDS_PER_FILTER:
        raise _bad(
            "keywords_attributes", f"has too many items (maximum is {MAX_KEYWORDS_PER_FILTER})"
        )
    changes = []
    for item in items:
        if not isinstance(item, dict):
            raise _bad("keywords_attributes", "must be a list of objects")
        entry = Params(item)
        changes.append(
            KeywordChange(
                id=entry.id("id"),
                keyword=entry.str("keyword", max_length=10_000),
                whole_word=entry.bool("whole_word"),
                destroy=bool(entry.bool("_destroy", False)),
            )
        )
    return tuple(changes)


def _bad(name: str, description: str) -> Invalid:
    return Invalid(
        f"Validation failed: {name} {description}", {name: [("ERR_INVALID", description)]}
    )


def _changes(p: Params) -> FilterChanges:
    return FilterChanges(
        title=p.str("title", max_length=10_000),
        context=_context(p),
        action=p.str("filter_action", max_length=16),
        expires_in=p.int("expires_in"),
        expires_in_given="expires_in" in p,
        keywords=_keyword_changes(p),
    )


def _empty() -> Response:
    return json_response({})


# --- v2 filters ------------------------------------------------------------------------------


async def list_filters(request: Request) -> Response:
    viewer_id = await _viewer(request, READ)
    return json_response(render_filters(await services(request).filters.list_filters(viewer_id)))


async def create_filter(request: Request) -> Response:
    viewer_id = await _viewer(request, WRITE)
    p = await params(request)
    flt = await services(request).filters.create(viewer_id, _changes(p))
    return json_response(render_filter(flt))


async def get_filter(request: Request) -> Response:
    viewer_id = await _viewer(request, READ)
    return json_response(
        render_filter(await services(request).filters.get(viewer_id, _path_id(request)))
    )


async def update_filter(request: Request) -> Response:
    viewer_id = await _viewer(request, WRITE)
    p = await params(request)
    flt = await services(request).filters.update(viewer_id, _path_id(request), _changes(p))
    return json_response(render_filter(flt))


async def delete_filter(request: Request) -> Response:
    viewer_id = await _viewer(request, WRITE)
    await services(request).filters.delete(viewer_id, _path_id(request))
    return _empty()


# --- keywords --------------------------------------------------------------------------------


async def list_keywords(request: Request) -> Response:
    viewer_id = await _viewer(request, READ)
    flt = await services(request).filters.get(viewer_id, _path_id(request, "filter_id"))
    return json_response([render_filter_keyword(keyword) for keyword in flt.keywords])


async def add_keyword(request: Request) -> Response:
    viewer_id = await _viewer(request, WRITE)
    p = await params(request)
    keyword = await services(request).filters.add_keyword(
        viewer_id,
        _path_id(request, "filter_id"),
        p.required_str("keyword", max_length=10_000),
        p.bool("whole_word"),
    )
    return json_response(render_filter_keyword(keyword))


async def get_keyword(request: Request) -> Response:
    viewer_id = await _viewer(request, READ)
    keyword = await services(request).filters.get_keyword(viewer_id, _path_id(request))
    return json_response(render_filter_keyword(keyword))


async def update_keyword(request: Request) -> Response:
    viewer_id = await _viewer(request, WRITE)
    p = await params(request)
    keyword = await services(request).filters.update_keyword(
        viewer_id, _path_id(request), p.str("keyword", max_length=10_000), p.bool("whole_word")
    )
    return json_response(render_filter_keyword(keyword))


async def delete_keyword(request: Request) -> Response:
    viewer_id = await _viewer(request, WRITE)
    await services(request).filters.delete_keyword(viewer_id, _path_id(request))
    return _empty()


# --- statuses --------------------------------------------------------------------------------


async def list_statuses(request: Request) -> Response:
    viewer_id = await _viewer(request, READ)
    flt = await services(request).filters.get(viewer_id, _path_id(request, "filter_id"))
    return json_response([render_filter_status(entry) for entry in flt.statuses])


async def add_status(request: Request) -> Response:
    viewer_id = await _viewer(request, WRITE)
    p = await params(request)
    status_id = p.id("status_id")
    if status_id is None:
        raise Invalid(
            "Validation failed: Status can't be blank",
            {"status_id": [("ERR_BLANK", "can't be blank")]},
        )
    entry = await services(request).filters.add_status(
        viewer_id, _path_id(request, "filter_id"), status_id
    )
    return json_response(render_filter_status(entry))


async def get_status(request: Request) -> Response:
    viewer_id = await _viewer(request, READ)
    entry = await services(request).filters.get_status(viewer_id, _path_id(request))
    return json_response(render_filter_status(entry))


async def delete_status(request: Request) -> Response:
    viewer_id = await _viewer(request, WRITE)
    entry = await services(request).filters.delete_status(viewer_id, _path_id(request))
    return json_response(render_filter_status(entry))


# --- v1 ------------------------------------------------------------------------------------


def _v1_fields(p: Params) -> dict[str, Any]:
    return {
        "context": _context(p),
        "hide": p.bool("irreversible"),
        "whole_word": p.bool("whole_word"),
        "expires_in": p.int("expires_in"),
    }


async def list_v1(request: Request) -> Response:
    viewer_id = await _viewer(request, READ)
    views = await services(request).filters.list_v1(viewer_id)
    return json_response([render_v1_filter(view) for view in views])


async def create_v1(request: Request) -> Response:
    viewer_id = await _viewer(request, WRITE)
    p = await params(request)
    fields = _v1_fields(p)
    view = await services(request).filters.create_v1(
        viewer_id,
        phrase=p.required_str("phrase", max_length=10_000),
        context=fields["context"] or [],
        hide=bool(fields["hide"]),
        whole_word=fields["whole_word"],
        expires_in=fields["expires_in"],
    )
    return json_response(render_v1_filter(view))


async def get_v1(request: Request) -> Response:
    viewer_id = await _viewer(request, READ)
    view = await services(request).filters.get_v1(viewer_id, _path_id(request))
    return json_response(render_v1_filter(view))


async def update_v1(request: Request) -> Response:
    viewer_id = await _viewer(request, WRITE)
    p = await params(request)
    view = await services(request).filters.update_v1(
        viewer_id,
        _path_id(request),
        phrase=p.str("phrase", max_length=10_000),
        expires_in_given="expires_in" in p,
        **_v1_fields(p),
    )
    return json_response(render_v1_filter(view))


async def delete_v1(request: Request) -> Response:
    viewer_id = await _viewer(request, WRITE)
    await services(request).filters.delete_v1(viewer_id, _path_id(request))
    return _empty()


routes: list[BaseRoute] = [
    Route("/api/v2/filters", list_filters, methods=["GET"]),
    Route("/api/v2/filters", create_filter, methods=["POST"]),
    # Literal sub-paths before /api/v2/filters/{id}/… (Mastodon's own paths for these).
    Route("/api/v2/filters/keywords/{id}", get_keyword, methods=["GET"]),
    Route("/api/v2/filters/keywords/{id}", update_keyword, methods=["PUT"]),
    Route("/api/v2/filters/keywords/{id}", delete_keyword, methods=["DELETE"]),
    Route("/api/v2/filters/statuses/{id}", get_status, methods=["GET"]),
    Route("/api/v2/filters/statuses/{id}", delete_status, methods=["DELETE"]),
    Route("/api/v2/filters/{filter_id}/keywords", list_keywords, methods=["GET"]),
    Route("/api/v2/filters/{filter_id}/keywords", add_keyword, methods=["POST"]),
    Route("/api/v2/filters/{filter_id}/statuses", list_statuses, methods=["GET"]),
    Route("/api/v2/filters/{filter_id}/statuses", add_status, methods=["POST"]),
    Route("/api/v2/filters/{id}", get_filter, methods=["GET"]),
    Route("/api/v2/filters/{id}", update_filter, methods=["PUT"]),
    Route("/api/v2/filters/{id}", delete_filter, methods=["DELETE"]),
    Route("/api/v1/filters", list_v1, methods=["GET"]),
    Route("/api/v1/filters", create_v1, methods=["POST"]),
    Route("/api/v1/filters/{id}", get_v1, methods=["GET"]),
    Route("/api/v1/filters/{id}", update_v1, methods=["PUT"]),
    Route("/api/v1/filters/{id}", delete_v1, methods=["DELETE"]),
]
