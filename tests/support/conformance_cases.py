"""Requests for the conformance run: schemathesis cases, pointed at seeded records, as bytes.

Schemathesis (4.x) generates the cases, two ways: hypothesis strategies (``case_strategy``,
valid or invalid data) and its deterministic coverage phase (``coverage_cases``: boundary
values, missing and wrongly typed parameters, unexpected methods). ``personalise`` then puts
a seeded id in the path (and, for valid data, in id fields) about half of the time and the
member's token on three cases in four. ``to_wire`` serialises a case exactly as schemathesis
would send it (``case.as_transport_kwargs``, then ``requests``' preparation).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import requests
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict
from schemathesis import Case, GenerationMode
from schemathesis.config import GenerationConfig
from schemathesis.core.errors import SerializationNotPossible
from schemathesis.schemas import APIOperation

BASE_URL = "https://godwit.test"
T = TypeVar("T")
Choose = Callable[[Sequence[T]], T]

# Which seeded ids a path parameter may take, by the template's prefix (most specific first).
PATH_KINDS: tuple[tuple[str, str], ...] = (
    ("/api/v2/filters/keywords/", "filter_keyword"),
    ("/api/v2/filters/statuses/", "filter_status"),
    ("/api/v2/filters/", "filter"),
    ("/api/v1/filters/", "v1_filter"),
    ("/api/v1/accounts/", "account"),
    ("/api/v1/follow_requests/", "account"),
    ("/api/v1/suggestions/", "account"),
    ("/api/v1/statuses/", "status"),
    ("/api/v1/polls/", "poll"),
    ("/api/v1/lists/", "list"),
    ("/api/v1/timelines/list/", "list"),
    ("/api/v1/media/", "media"),
    ("/api/v1/notifications/", "notification"),
    ("/api/v1/scheduled_statuses/", "scheduled_status"),
    ("/api/v1/conversations/", "conversation"),
    ("/api/v1/featured_tags/", "featured_tag"),
    ("/api/v1/tags/", "tag"),
    ("/api/v1/timelines/tag/", "tag"),
)
# Query and body fields that name records (or accounts, or search terms): in valid cases,
# about half of those generated get a seeded value, so requests get past "must be an ID".
FIELD_KINDS = {
    "max_id": "any",
    "since_id": "any",
    "min_id": "any",
    "account_id": "account",
    "account_ids": "account",
    "status_id": "status",
    "status_ids": "status",
    "in_reply_to_id": "status",
    "quoted_status_id": "status",
    "media_ids": "media",
    "list_id": "list",
    "acct": "acct",
    "q": "query",
    "list": "list",  # /api/v1/streaming/list
    "tag": "tag",  # /api/v1/streaming/hashtag
}
_PARAMETER = re.compile(r"\{([^}]+)\}")
# Requests-style keyword arguments schemathesis may serialise a case into.
_REQUEST_KWARGS = frozenset(
    {"method", "url", "cookies", "headers", "params", "data", "json", "files"}
)


@dataclass
class KnownIds:
    """Seeded values by kind, and the token of the member making the requests."""

    token: str
    by_kind: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, *values: object) -> None:
        self.by_kind.setdefault(kind, []).extend(str(value) for value in values)

    def for_path(self, template: str) -> tuple[str, list[str]] | None:
        """(path parameter, values it may take) for a one-parameter template, or None."""
        names = _PARAMETER.findall(template)
        if len(names) != 1:
            return None
        for prefix, kind in PATH_KINDS:
            if template.startswith(prefix):
                values = self.by_kind.get(kind, [])
                return (names[0], values) if values else None
        return None

    def for_field(self, name: str, template: str) -> list[str]:
        name = name.removesuffix("[]")
        if name == "id":  # GET /api/v1/accounts/relationships?id[]=, GET /api/v1/statuses?id[]=
            kind = "account" if template.startswith("/api/v1/accounts") else "status"
        else:
            kind = FIELD_KINDS.get(name, "")
        if kind == "any":
            every = {value for values in self.by_kind.values() for value in values}
            return sorted(value for value in every if value.isdigit())
        return self.by_kind.get(kind, [])


def personalise(case: Case, known: KnownIds, choose: Choose[Any], *, valid: bool) -> Case:
    """Seeded values in the path (and, for valid data, in id fields); the token, or none."""
    template = case.operation.path
    slot = known.for_path(template)
    if slot is not None and choose((True, False)):
        case.path_parameters = {**(case.path_parameters or {}), slot[0]: choose(slot[1])}
    if valid:
        for container in (case.query, case.body):
            if not isinstance(container, dict):
                continue
            for name in list(container):
                values = known.for_field(name, template)
                if values and choose((True, False)):
                    chosen = choose(values)
                    container[name] = [chosen] if isinstance(container[name], list) else chosen
    headers: CaseInsensitiveDict[Any] = CaseInsensitiveDict(case.headers or {})
    headers.pop("Authorization", None)
    if choose((True, True, True, False)):
        headers["Authorization"] = f"Bearer {known.token}"
    case.headers = headers
    return case


def case_strategy(
    operation: APIOperation, mode: GenerationMode, known: KnownIds
) -> st.SearchStrategy[Case]:
    base = operation.as_strategy(generation_mode=mode)

    @st.composite
    def personalised(draw: st.DrawFn) -> Case:
        case = draw(base)

        def choose(options: Sequence[Any]) -> Any:
            return draw(st.sampled_from(options))

        return personalise(case, known, choose, valid=mode == GenerationMode.POSITIVE)

    return personalised()


def coverage_cases(operation: APIOperation, known: KnownIds, limit: int) -> list[Case]:
    """At most ``limit`` of schemathesis' coverage-phase cases, spread evenly over them."""
    cases = list(
        operation.schema.iter_coverage_cases(
            operation,
            generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
            generation_config=GenerationConfig(),
        )
    )
    if len(cases) > limit:
        cases = [cases[index * len(cases) // limit] for index in range(limit)]
    chosen = []
    for index, case in enumerate(cases):
        rng = random.Random(f"{operation.label} {index}")  # the same choices every run
        valid = case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE
        chosen.append(personalise(case, known, rng.choice, valid=valid))
    return chosen


@dataclass(frozen=True)
class WireRequest:
    method: str
    url: str
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def describe(self) -> str:
        body = self.body[:600].decode("utf-8", "replace")
        return f"{self.method} {self.url}\n  body: {body!r}"


def to_wire(case: Case) -> WireRequest | None:
    """The request schemathesis would send for this case, as bytes (None if it cannot be
    serialised, or if the server would route it to another operation than the validator)."""
    try:
        kwargs = case.as_transport_kwargs(base_url=BASE_URL)
    except SerializationNotPossible:
        return None
    unknown = set(kwargs) - _REQUEST_KWARGS
    assert not unknown, f"schemathesis serialised a case with {unknown}: send them too"
    prepared = requests.Request(**kwargs).prepare()
    body = prepared.body or b""
    assert isinstance(body, (bytes, str)), f"unexpected body {type(body)}"
    request = WireRequest(
        method=str(prepared.method),
        url=str(prepared.url),
        headers=[(name.encode(), _header_bytes(value)) for name, value in prepared.headers.items()],
        body=body.encode() if isinstance(body, str) else body,
    )
    return request if same_path_for_server(request.url) else None


def _header_bytes(value: str | bytes) -> bytes:
    if isinstance(value, bytes):
        return value
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode()


def same_path_for_server(url: str) -> bool:
    """False when a generated path parameter holds an encoded '/': the server (which routes on
    the decoded path) would then serve another operation than the one the validator matches."""
    path = urlsplit(url).path
    return unquote(path).count("/") == path.count("/")
