"""The coverage table at the end of docs/api.md: every client API operation and its status.

The section "## Coverage of the Mastodon client API" has one ``###`` subsection per area,
each a table of ``| METHOD | `path` | status |`` rows. It lists every operation of
``../shared/specs/mastodon-openapi.json`` (under the document's own path templates) and the
endpoints the checklist ``mastodon-api.md`` names that the document lacks (the WebSocket,
NodeInfo, the admin API). A status is ``implemented``, ``partial — why`` or
``not yet — why``; the why is written by hand.

tests/test_docs.py checks the table against the contract and the route table;
``scripts/api-coverage`` (``python -m tests.support.api_coverage``) prints the section
refreshed for the current routes, keeping every hand-written status the code still agrees
with, so a new route or a new contract operation only needs its row's why written.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.openapi import HTTP_METHODS, REPO_ROOT, load_contract, normalise_template

API_DOC_PATH = REPO_ROOT / "docs" / "api.md"
COVERAGE_HEADING = "## Coverage of the Mastodon client API"
METHOD_ORDER = ("WS", "GET", "POST", "PUT", "PATCH", "DELETE")
KINDS = ("implemented", "partial", "not yet")
DASH = "—"  # the em dash between a status and its why

_ROW = re.compile(
    r"^\| (?P<method>[A-Z]+) \| `(?P<path>[^`]+)` \| (?P<status>.*?) \|\s*$", re.MULTILINE
)
_STATUS = re.compile(rf"^(?:implemented|(?:partial|not yet) {DASH} \S.*)$")

# The contract's tags, gathered into the areas of the table (in this order).
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("OAuth, apps and sign-up", ("apps", "oauth", "well-known", "emails")),
    ("Accounts and profile", ("accounts", "profile")),
    ("Follow requests, blocks, mutes, domain blocks and endorsements",
     ("follow_requests", "blocks", "mutes", "domain_blocks", "endorsements")),
    ("Statuses, polls and scheduled statuses",
     ("statuses", "polls", "scheduled_statuses", "bookmarks", "favourites")),
    ("Media", ("media",)),
    ("Timelines, conversations and markers", ("timelines", "conversations", "markers")),
    ("Lists", ("lists",)),
    ("Filters", ("filters",)),
    ("Notifications", ("notifications",)),
    ("Web Push", ("push",)),
    ("Streaming", ("streaming",)),
    ("Search", ("search",)),
    ("Tags, trends, suggestions and the directory",
     ("tags", "followed_tags", "featured_tags", "trends", "suggestions", "directory")),
    ("Instance, announcements and preferences",
     ("instance", "custom_emojis", "announcements", "preferences", "health", "oembed")),
    ("Reports", ("reports",)),
    ("Collections, annual reports and async refreshes",
     ("collections", "annual_reports", "async_refreshes")),
    ("Admin API (not in the OpenAPI document)", ()),
)  # fmt: skip
OTHER_AREA = "Other endpoints"
_AREA_OF_TAG = {tag: area for area, tags in AREAS for tag in tags}


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    status: str
    area: str = OTHER_AREA

    @property
    def key(self) -> tuple[str, str]:
        return operation_key(self.method, self.path)

    @property
    def kind(self) -> str | None:
        """``implemented``, ``partial``, ``not yet``, or None for a malformed status."""
        if not _STATUS.match(self.status):
            return None
        return next(kind for kind in KINDS if self.status.startswith(kind))

    def render(self) -> str:
        return f"| {self.method} | `{self.path}` | {self.status} |"


def operation_key(method: str, path: str) -> tuple[str, str]:
    """``("GET", "/api/v1/follow_requests/{}/authorize")``: parameter names and a trailing
    slash do not tell two operations apart."""
    path = normalise_template(path)
    return method.upper(), (path.rstrip("/") or "/")


# --- the document ------------------------------------------------------------------------


def split_api_doc(text: str) -> tuple[str, str]:
    """(docs/api.md without the coverage section, the coverage section). The section runs
    from its heading to the next ``## `` heading or the end of the file."""
    start = text.find(COVERAGE_HEADING + "\n")
    if start < 0:
        return text, ""
    following = re.search(r"^## ", text[start + len(COVERAGE_HEADING) :], re.MULTILINE)
    end = len(text) if following is None else start + len(COVERAGE_HEADING) + following.start()
    return text[:start] + text[end:], text[start:end]


def parse_rows(section: str) -> list[Row]:
    rows: list[Row] = []
    area = OTHER_AREA
    for line in section.splitlines():
        if line.startswith("### "):
            area = line.removeprefix("### ").strip()
            continue
        match = _ROW.match(line)
        if match:
            rows.append(Row(match["method"], match["path"], match["status"].strip(), area))
    return rows


def section_intro(section: str) -> str:
    """The hand-written text between the heading and the first area."""
    body = section.removeprefix(COVERAGE_HEADING + "\n")
    return body.split("\n### ", 1)[0].strip("\n")


# --- the code and the contract -----------------------------------------------------------


def code_operations() -> set[tuple[str, str]]:
    """Keys of every route the API and web route tables serve (WebSockets as ``WS``)."""
    from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

    from godwit.api.routes import ROUTES
    from godwit.web.routes import WEB_ROUTES

    found: set[tuple[str, str]] = set()

    def walk(routes: Iterable[BaseRoute], prefix: str) -> None:
        for route in routes:
            if isinstance(route, Mount):
                walk(route.routes, prefix + route.path)
            elif isinstance(route, WebSocketRoute):
                found.add(operation_key("WS", prefix + route.path))
            elif isinstance(route, Route):
                for method in route.methods or ():
                    if method not in ("HEAD", "OPTIONS"):
                        found.add(operation_key(method, prefix + route.path))

    walk([*ROUTES, *WEB_ROUTES], "")
    return found


def contract_operations(document: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(METHOD, path template, area) of every operation in the OpenAPI document."""
    for template, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                tags = item[method].get("tags") or [""]
                yield method.upper(), template, _AREA_OF_TAG.get(tags[0], OTHER_AREA)


# --- refreshing the section --------------------------------------------------------------


def refresh(
    doc_text: str, document: dict[str, Any], implemented: set[tuple[str, str]]
) -> tuple[str, list[str]]:
    """The coverage section for the current routes, and what changed (for a human to word)."""
    _, section = split_api_doc(doc_text)
    written = {row.key: row for row in parse_rows(section)}
    notes: list[str] = []
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()

    def add(method: str, path: str, area: str) -> None:
        key = operation_key(method, path)
        if key in seen:
            return
        seen.add(key)
        old = written.get(key)
        status = old.status if old else ""
        kind = old.kind if old else None
        was = f"was: {old.status}" if old else "new row"
        if key in implemented and kind not in ("implemented", "partial"):
            status = "implemented"
            notes.append(f"{method} {path}: implemented ({was})")
        elif key not in implemented and kind != "not yet":
            status = f"not yet {DASH} TODO: say why and which issue brings it"
            notes.append(f"{method} {path}: no route ({was})")
        rows.append(Row(method, path, status, old.area if old else area))

    for method, template, area in contract_operations(document):
        add(method, template, area)
    for row in written.values():  # endpoints the document lacks, written by hand
        add(row.method, row.path, row.area)
    for method, path in sorted(implemented):
        if path.startswith("/api/"):
            add(method, path.replace("{}", "{id}"), OTHER_AREA)
    return render_section(section_intro(section), rows), notes


def render_section(intro: str, rows: list[Row]) -> str:
    order = [area for area, _ in AREAS] + [OTHER_AREA]
    order += sorted({row.area for row in rows} - set(order))
    parts = [COVERAGE_HEADING, ""]
    if intro:
        parts += [intro, ""]
    for area in order:
        in_area = sorted(
            (row for row in rows if row.area == area),
            key=lambda row: (row.path, _method_rank(row.method)),
        )
        if not in_area:
            continue
        parts += [f"### {area}", "", "| Method | Path | Status |", "|---|---|---|"]
        parts += [row.render() for row in in_area]
        parts.append("")
    return "\n".join(parts)


def _method_rank(method: str) -> int:
    return METHOD_ORDER.index(method) if method in METHOD_ORDER else len(METHOD_ORDER)


def counts(rows: Iterable[Row]) -> dict[str, int]:
    tally = dict.fromkeys(KINDS, 0)
    for row in rows:
        if row.kind:
            tally[row.kind] += 1
    return tally


def main() -> int:
    contract = load_contract()
    if contract is None:
        print(f"no OpenAPI contract at {Path('..') / 'shared' / 'specs'}", file=sys.stderr)
        return 1
    section, notes = refresh(API_DOC_PATH.read_text(), contract.document, code_operations())
    print(section, end="")
    tally = counts(parse_rows(section))
    print(", ".join(f"{count} {kind}" for kind, count in tally.items()), file=sys.stderr)
    for note in notes:
        print("changed:", note, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
