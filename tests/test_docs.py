"""Docs that are tested: the configuration reference and the endpoint list follow the code."""

from __future__ import annotations

import re
from pathlib import Path

from godwit.commands.docs import render_configuration_reference
from godwit.config import settings_reference

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


def documented_routes() -> set[tuple[str, str]]:
    rows = re.findall(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|", API_DOC, re.MULTILINE)
    return set(rows)


API_DOC = (DOCS / "api.md").read_text()


def test_every_route_is_listed_in_the_api_reference() -> None:
    missing = implemented_routes() - documented_routes()
    assert not missing, f"add these to docs/api.md: {sorted(missing)}"


def test_the_api_reference_lists_no_route_that_does_not_exist() -> None:
    stale = documented_routes() - implemented_routes()
    assert not stale, f"docs/api.md lists routes the code does not have: {sorted(stale)}"
    assert len(documented_routes()) > 50
