"""Docs that are tested: the configuration reference, the endpoint list and the coverage of
the Mastodon client API follow the code."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from godwit.commands.docs import render_configuration_reference
from godwit.config import settings_reference
from tests.support import api_coverage
from tests.support.openapi import Contract

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_configuration_reference_matches_the_settings() -> None:
    committed = (DOCS / "configuration.md").read_text()
    assert committed == render_configuration_reference(), (
        "docs/configuration.md is stale: run `.venv/bin/godwit config-docs > docs/configuration.md`"
    )


def test_every_setting_is_in_the_configuration_reference() -> None:
    committed = (DOCS / "configuration.md").read_text()
    for variable, _default, help_text in settings_reference():
        assert f"`{variable}`" in committed
        assert help_text.split("|")[0] in committed


def implemented_routes() -> set[tuple[str, str]]:
    """(method, path) for every route in the API and web route tables."""
    from starlette.routing import BaseRoute, Mount, Route

    from godwit.api.routes import ROUTES
    from godwit.web.routes import WEB_ROUTES

    found: set[tuple[str, str]] = set()

    def walk(routes: list[BaseRoute], prefix: str) -> None:
        for route in routes:
            if isinstance(route, Mount):
                walk(list(route.routes), prefix + route.path)
            elif isinstance(route, Route):
                for method in route.methods or ():
                    if method != "HEAD":
                        found.add((method, prefix + route.path))

    walk([*ROUTES, *WEB_ROUTES], "")
    return found


_ROUTE_ROW = re.compile(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|", re.MULTILINE)


def documented_routes() -> set[tuple[str, str]]:
    """The routes of the API reference's per-area sections (the coverage table is checked on
    its own) and of the web app's page list."""
    return set(_ROUTE_ROW.findall(AREA_SECTIONS)) | set(_ROUTE_ROW.findall(WEB_DOC))


API_DOC = (DOCS / "api.md").read_text()
WEB_DOC = (DOCS / "web.md").read_text()
AREA_SECTIONS, COVERAGE_SECTION = api_coverage.split_api_doc(API_DOC)


def test_every_route_is_listed_in_the_api_reference() -> None:
    missing = implemented_routes() - documented_routes()
    assert not missing, f"add these to docs/api.md or docs/web.md: {sorted(missing)}"


def test_the_api_reference_lists_no_route_that_does_not_exist() -> None:
    stale = documented_routes() - implemented_routes()
    assert not stale, f"docs/api.md or web.md list routes the code lacks: {sorted(stale)}"
    assert len(documented_routes()) > 50


# --- the coverage table: every client API operation and its status ------------------------


def coverage_rows() -> list[api_coverage.Row]:
    rows = api_coverage.parse_rows(COVERAGE_SECTION)
    assert len(rows) > 200, f"docs/api.md needs its '{api_coverage.COVERAGE_HEADING}' table"
    return rows


def test_coverage_rows_are_well_formed_and_unique() -> None:
    rows = coverage_rows()
    malformed = [row.render() for row in rows if row.kind is None]
    assert not malformed, (
        "statuses must be `implemented`, `partial — why` or `not yet — why`: " + repr(malformed)
    )
    repeated = [key for key, count in Counter(row.key for row in rows).items() if count > 1]
    assert not repeated, f"listed more than once in the coverage table: {repeated}"


def test_coverage_lists_every_operation_of_the_contract(contract: Contract) -> None:
    listed = Counter(row.key for row in coverage_rows())
    missing = [
        f"{op.method.upper()} {op.template}"
        for op in contract.operations
        if listed[api_coverage.operation_key(op.method, op.template)] != 1
    ]
    assert not missing, (
        f"add to docs/api.md's coverage table (`scripts/api-coverage` prints it): {missing}"
    )


def test_coverage_marks_implemented_only_what_has_a_route() -> None:
    routes = api_coverage.code_operations()
    claimed = [
        f"{row.method} {row.path}"
        for row in coverage_rows()
        if row.kind in ("implemented", "partial") and row.key not in routes
    ]
    assert not claimed, f"marked implemented or partial, but no route serves them: {claimed}"


def test_coverage_marks_no_route_as_not_yet() -> None:
    routes = api_coverage.code_operations()
    stale = [
        f"{row.method} {row.path}"
        for row in coverage_rows()
        if row.kind == "not yet" and row.key in routes
    ]
    assert not stale, f"implemented now: mark them `implemented` or `partial — why`: {stale}"


def test_coverage_lists_every_api_route() -> None:
    listed = {row.key for row in coverage_rows()}
    unlisted = sorted(
        f"{method} {path}"
        for method, path in api_coverage.code_operations()
        if path.startswith("/api/") and (method, path) not in listed
    )
    assert not unlisted, f"add these to docs/api.md's coverage table: {unlisted}"
