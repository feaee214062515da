"""Validate API responses against the Mastodon OpenAPI contract (../shared/specs).

The contract is OpenAPI 3.1, whose schemas are JSON Schema 2020-12: a response is matched to
its operation (method + path template, the most literal template winning, so
``/api/v1/accounts/verify_credentials`` beats ``/api/v1/accounts/{id}``), the schema for its
status code is looked up, and the body is validated with ``jsonschema`` against the whole
document loaded into a ``referencing`` registry, so ``#/components/schemas/...`` refs resolve.

Only responses are checked. Request parameter schemas in the document have quirks we do not
depend on (the ``Idempotency-Key`` header is typed as an object, for example).

Where the document and the Mastodon version we advertise (4.3) disagree, the difference is
declared once in ``RELAXATIONS`` below, with the reason: never silently.

A user's fresh clone has no ``../shared``: the contract is then unavailable and the tests that
need it skip, unless ``GODWIT_TEST_REQUIRE_SHARED=1`` (CI) makes them fail.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_RELATIVE_PATH = Path("..") / "shared" / "specs" / "mastodon-openapi.json"
SPEC_PATH = REPO_ROOT / SPEC_RELATIVE_PATH
SPEC_URI = "urn:godwit:mastodon-openapi"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def require_shared() -> bool:
    return os.environ.get("GODWIT_TEST_REQUIRE_SHARED", "") == "1"


class ContractViolation(AssertionError):
    """A response that does not match the Mastodon API contract."""


# --- explicit, documented differences between the document and what we check -------------


@dataclass(frozen=True)
class Relaxation:
    """One deliberate change to the contract before validating, and why it is right."""

    schema: str  # component schema name
    path: tuple[str, ...]  # property path inside it (an array's items: "[]")
    change: str  # "optional:<field>" (of the object at path), "allow-empty-string" or
    # "any-of" (the oneOf at path becomes anyOf)
    reason: str


RELAXATIONS: tuple[Relaxation, ...] = (
    Relaxation(
        "Instance",
        ("contact", "email"),
        "allow-empty-string",
        "Mastodon sends an empty contact email when the operators configured none "
        "(the document types it as format: email).",
    ),
    Relaxation(
        "DiscoverOauthServerConfigurationResponse",
        (),
        "optional:userinfo_endpoint",
        "Mastodon added /oauth/userinfo (OpenID Connect) in 4.4; we advertise 4.3, where the "
        "metadata has no userinfo_endpoint, and Mastodon.py treats it as optional.",
    ),
    Relaxation(
        "V1Instance",
        ("email",),
        "allow-empty-string",
        "Same as Instance.contact.email, in the v1 entity.",
    ),
    Relaxation(
        "PreviewCard",
        ("author_url",),
        "allow-empty-string",
        "Mastodon sends an empty author_url when the page names no author's URL (the "
        "document types it as format: uri).",
    ),
    Relaxation(
        "PreviewCard",
        ("provider_url",),
        "allow-empty-string",
        "Mastodon sends an empty provider_url for pages (it is set from oEmbed only).",
    ),
    Relaxation(
        "PreviewCard",
        ("embed_url",),
        "allow-empty-string",
        "Mastodon sends an empty embed_url for cards without an oEmbed photo; Godwit never embeds.",
    ),
    Relaxation(
        "TrendsLink",
        ("author_url",),
        "allow-empty-string",
        "As PreviewCard.author_url.",
    ),
    Relaxation(
        "TrendsLink",
        ("provider_url",),
        "allow-empty-string",
        "As PreviewCard.provider_url.",
    ),
    Relaxation(
        "TrendsLink",
        ("embed_url",),
        "allow-empty-string",
        "As PreviewCard.embed_url.",
    ),
    Relaxation(
        "Status",
        ("quote",),
        "any-of",
        "Status.quote is oneOf [Quote, ShallowQuote, null], but neither object schema requires "
        "the property that tells them apart (quoted_status / quoted_status_id), so every quote "
        "matches both and oneOf can never pass; Mastodon means either shape (anyOf).",
    ),
)

# Operations whose document gives no response schema although Mastodon documents the body.
SUPPLEMENTED_RESPONSES: dict[tuple[str, str], dict[str, Any]] = {
    ("get", "/api/v1/preferences"): {"$ref": "#/components/schemas/Preferences"},
    ("post", "/api/v1/notifications/clear"): {"type": "object", "maxProperties": 0},
    ("post", "/api/v1/notifications/{id}/dismiss"): {"type": "object", "maxProperties": 0},
    ("post", "/oauth/revoke"): {"type": "object", "maxProperties": 0},
}

# Operations whose document gives a wrong 2xx schema, replaced (with the reason) before checking.
CORRECTED_RESPONSES: dict[tuple[str, str], dict[str, Any]] = {
    # The document says one V1Filter, but Mastodon (and its own description: "List of
    # V1::Filter") answers an array, which is what clients such as Mastodon.py expect.
    ("get", "/api/v1/filters"): {
        "type": "array",
        "items": {"$ref": f"{SPEC_URI}#/components/schemas/V1Filter"},
    },
}

# Browser pages whose error answers are HTML pages, not the JSON Error the document lists.
HTML_PAGES: dict[str, str] = {
    "/oauth/authorize": (
        "The authorization page is opened in the member's browser: a bad client_id, "
        "redirect_uri or scope is explained on an HTML page, never redirected (RFC 6749 "
        "4.1.2.1), as Mastodon's own page does; its form (POST, outside the document) "
        "answers a refused submission (e.g. a missing CSRF token) with an HTML page too."
    ),
}

# The body every JSON error must have, whatever the operation says (Mastodon's Error entity).
ERROR_SCHEMA = {"$ref": "#/components/schemas/Error"}


def _apply_relaxations(document: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(document)
    schemas = document["components"]["schemas"]
    for relaxation in RELAXATIONS:
        node = schemas[relaxation.schema]
        steps = relaxation.path
        if relaxation.change == "allow-empty-string":
            *steps, last = relaxation.path
        for step in steps:
            node = node["items"] if step == "[]" else node["properties"][step]
        if relaxation.change == "allow-empty-string":
            node["properties"][last] = {"anyOf": [node["properties"][last], {"const": ""}]}
        elif relaxation.change == "any-of":
            assert "oneOf" in node, relaxation
            node["anyOf"] = node.pop("oneOf")
        elif relaxation.change.startswith("optional:"):
            name = relaxation.change.removeprefix("optional:")
            assert name in node["required"], relaxation
            node["required"] = [item for item in node["required"] if item != name]
        else:  # pragma: no cover - a typo in RELAXATIONS
            raise ValueError(f"unknown relaxation {relaxation.change}")
    return document


# --- formats: jsonschema only checks what it has libraries for, so be explicit ----------

FORMATS = FormatChecker(formats=())
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
)
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


@FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        dt.datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@FORMATS.checks("date")
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    # Absolute URIs only ("urn:ietf:wg:oauth:2.0:oob" is one): relative URLs break clients.
    return not isinstance(value, str) or bool(_URI_SCHEME.match(value))


@FORMATS.checks("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or re.fullmatch(r"[^@\s]+@[^@\s]+", value) is not None


# --- operations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    method: str  # lower case
    template: str
    pattern: re.Pattern[str]
    literal_segments: int

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.template}"


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(f"^{regex}$")


def normalise_template(template: str) -> str:
    """``/a/{id:int}/b`` and ``/a/{account_id}/b`` both become ``/a/{}/b``."""
    return re.sub(r"\{[^}]*\}", "{}", template)


@dataclass
class ContractLog:
    """What the session's responses exercised: the source of the end-of-session report."""

    validated: Counter[str] = field(default_factory=Counter)
    outside_contract: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)


LOG = ContractLog()


class Contract:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = _apply_relaxations(document)
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self.operations: list[Operation] = []
        for template, item in self.document["paths"].items():
            for method in HTTP_METHODS:
                if method in item:
                    literal = sum(
                        1 for seg in template.split("/") if seg and not seg.startswith("{")
                    )
                    self.operations.append(
                        Operation(method, template, _template_pattern(template), literal)
                    )
        self._by_normalised = {
            (op.method, normalise_template(op.template)): op for op in self.operations
        }

    def find(self, method: str, path: str) -> Operation | None:
        method = method.lower()
        matches = [op for op in self.operations if op.method == method and op.pattern.match(path)]
        if not matches:
            return None
        return max(matches, key=lambda op: (op.literal_segments, -len(op.template)))

    def find_template(self, method: str, template: str) -> Operation | None:
        return self._by_normalised.get((method.lower(), normalise_template(template)))

    def response_schema(self, op: Operation, status: int) -> dict[str, Any] | None:
        """The JSON schema of the response (as a ref into the document), or None if none."""
        corrected = CORRECTED_RESPONSES.get((op.method, op.template))
        if corrected is not None and 200 <= status < 300:
            return corrected
        responses = self.document["paths"][op.template][op.method].get("responses", {})
        for code in (str(status), f"{str(status)[0]}XX", "default"):
            response = responses.get(code)
            if response is None:
                continue
            content = response.get("content", {})
            for media_type in ("application/json", "*/*"):
                if "schema" in content.get(media_type, {}):
                    pointer = "/".join(
                        _escape(part)
                        for part in (
                            "paths",
                            op.template,
                            op.method,
                            "responses",
                            code,
                            "content",
                            media_type,
                            "schema",
                        )
                    )
                    return {"$ref": f"{SPEC_URI}#/{pointer}"}
            break
        supplement = SUPPLEMENTED_RESPONSES.get((op.method, op.template))
        if supplement is not None and 200 <= status < 300:
            return supplement
        return None

    def has_json_response(self, op: Operation) -> bool:
        return self.response_schema(op, 200) is not None

    def errors(self, schema: dict[str, Any], body: Any) -> list[str]:
        validator = self._validator(json.dumps(schema, sort_keys=True))
        found = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        return [f"{error.json_path}: {_short(error.message)}" for error in found[:8]]

    @functools.lru_cache(maxsize=512)  # noqa: B019 - one Contract lives for the whole session
    def _validator(self, schema_json: str) -> Draft202012Validator:
        schema = json.loads(schema_json)
        if str(schema.get("$ref", "")).startswith("#"):
            schema = {**schema, "$ref": SPEC_URI + schema["$ref"]}
        return Draft202012Validator(schema, registry=self.registry, format_checker=FORMATS)

    # The one entry point the HTTP hooks call.
    def check(self, method: str, path: str, status: int, content_type: str, body: bytes) -> None:
        is_json = content_type.split(";")[0].strip().lower() in ("application/json", "")
        if status >= 500:
            self._violate(f"{method} {path} answered {status}: {body[:300]!r}")
        if not is_json or not body.strip():
            return
        try:
            data = json.loads(body)
        except ValueError:
            if content_type.startswith("application/json"):
                self._violate(f"{method} {path} ({status}) sent invalid JSON: {body[:200]!r}")
            return
        if 400 <= status < 500:
            problems = self.errors(ERROR_SCHEMA, data)
            if problems:
                self._violate(f"{method} {path} ({status}) error body: {problems} in {data!r}")
            return
        if not 200 <= status < 300:
            return
        op = self.find(method, path)
        if op is None:
            LOG.outside_contract[f"{method.upper()} {_generic_path(path)}"] += 1
            return
        schema = self.response_schema(op, status)
        if schema is None:
            return
        problems = self.errors(schema, data)
        if problems:
            self._violate(
                f"{op.key} ({status}) does not match the contract:\n  "
                + "\n  ".join(problems)
                + f"\n  body: {_short(json.dumps(data), 1500)}"
            )
        LOG.validated[op.key] += 1

    def _violate(self, message: str) -> None:
        LOG.violations.append(message)
        raise ContractViolation(message)


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _generic_path(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


@functools.cache
def load_contract() -> Contract | None:
    if not SPEC_PATH.is_file():
        return None
    return Contract(json.loads(SPEC_PATH.read_text(encoding="utf-8")))


def unavailable_reason() -> str:
    return (
        f"the Mastodon OpenAPI contract is not at {SPEC_RELATIVE_PATH} "
        f"(resolved: {SPEC_PATH}); set GODWIT_TEST_REQUIRE_SHARED=1 to make this an error"
    )


# --- hooks for the HTTP clients the tests use -------------------------------------------


def _check(method: str, url: str, status: int, content_type: str, body: bytes) -> None:
    contract = load_contract()
    if contract is not None:
        contract.check(method, urlsplit(url).path, status, content_type, body)


async def httpx_async_hook(response: Any) -> None:
    """``httpx.AsyncClient(event_hooks={"response": [httpx_async_hook]})``."""
    await response.aread()
    _check(
        response.request.method,
        str(response.request.url),
        response.status_code,
        response.headers.get("content-type", ""),
        response.content,
    )


def httpx_sync_hook(response: Any) -> None:
    response.read()
    _check(
        response.request.method,
        str(response.request.url),
        response.status_code,
        response.headers.get("content-type", ""),
        response.content,
    )


def requests_hook(response: Any, *_args: Any, **_kwargs: Any) -> Any:
    """For ``requests.Session().hooks["response"]`` (Mastodon.py uses requests)."""
    _check(
        response.request.method,
        response.request.url,
        response.status_code,
        response.headers.get("content-type", ""),
        response.content,
    )
    return response


def iter_routes(routes: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path template) for every Starlette route, through Mounts."""
    for route in routes:
        path = prefix + getattr(route, "path", "")
        methods = getattr(route, "methods", None)
        children = getattr(route, "routes", None)
        if methods:
            for method in sorted(methods - {"HEAD", "OPTIONS"}):
                yield method, path
        elif children:
            yield from iter_routes(children, path)
