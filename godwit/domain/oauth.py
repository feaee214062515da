"""OAuth applications, authorization codes and the credentials a bearer token carries.

The pure rules of Mastodon's OAuth 2 live here: which redirect URIs an app may register,
which scopes a request may have, and the PKCE S256 check.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from godwit.domain.errors import DomainError, Invalid
from godwit.domain.scopes import ALL_SCOPES, is_subset, ordered, parse_scopes

OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"
CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_APP_NAME = 255
MAX_URI_LENGTH = 2000
MAX_REDIRECT_URIS = 20
RESPONSE_MODES = ("query", "fragment", "form_post")
DEFAULT_SCOPE = "read"  # Mastodon (Doorkeeper) grants "read" when a request names no scope

# Schemes that run code or inline content in the browser: never a place to send a code.
_FORBIDDEN_SCHEMES = frozenset({"javascript", "data", "vbscript", "file", "blob", "about"})
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")
# RFC 7636: a verifier is 43-128 unreserved characters; an S256 challenge is 43 base64url.
_VERIFIER_RE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
_CHALLENGE_RE = re.compile(r"^[A-Za-z0-9\-_]{43}$")


# Mastodon's answers (403) to a token whose member may not act.
PENDING_APPROVAL = "Your login is currently pending approval"
LOGIN_DISABLED = "Your login is currently disabled"
ACCOUNT_SUSPENDED = "Your account is suspended"


@dataclass(frozen=True, slots=True)
class Credentials:
    """Who is calling: resolved from a bearer token on every authenticated request."""

    token_id: int
    app_id: int
    scopes: frozenset[str]
    user_id: int | None = None  # None for client_credentials tokens
    account_id: int | None = None
    role: str = "member"
    # Why the token's member may not act now (pending approval, login disabled): every
    # request with it is refused with this message (403), as Mastodon's require_user!.
    refusal: str | None = None


@dataclass(frozen=True, slots=True)
class OAuthApp:
    id: int
    name: str
    website: str | None
    redirect_uris: tuple[str, ...]
    scopes: frozenset[str]
    client_id: str
    # SHA-256 of the client secret; only the storage and the client check ever see it.
    secret_hash: str = field(default="", repr=False)

    @property
    def redirect_uri(self) -> str:
        """The deprecated single-string form Mastodon still sends: URIs joined by newlines."""
        return "\n".join(self.redirect_uris)


@dataclass(frozen=True, slots=True)
class AuthorizationCode:
    """A one-time grant from a member to an app, exchanged for a token at /oauth/token."""

    id: int
    code_hash: str
    app_id: int
    user_id: int
    scopes: frozenset[str]
    redirect_uri: str
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at: dt.datetime
    created_at: dt.datetime
    used_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class StoredToken:
    """Enough of a stored token to decide who may revoke it."""

    id: int
    app_id: int
    revoked: bool


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly made access token: the raw value is shown once and never stored."""

    access_token: str
    scopes: frozenset[str]
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class AuthorisedApp:
    """An app holding live tokens of one member: a line of "authorised apps"."""

    app_id: int
    name: str
    website: str | None
    scopes: frozenset[str]  # every scope its live tokens of the member carry
    first_authorised_at: dt.datetime
    last_authorised_at: dt.datetime
    tokens: int  # live tokens (for the web app: signed-in browsers)


class OAuthError(DomainError):
    """An OAuth protocol error, answered in RFC 6749's shape: {"error", "error_description"}."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


def redirect_uri_problem(uri: str) -> str | None:
    """Why ``uri`` cannot be registered as a redirect URI, or None if it can.

    Besides http(s), native apps use custom schemes (``com.keylesspalace.tusky://oauth``),
    so any absolute URI is accepted except script-bearing schemes and fragments (RFC 6749
    3.1.2 forbids fragments: the code would be appended after them).
    """
    if uri == OOB_REDIRECT:
        return None
    if len(uri) > MAX_URI_LENGTH:
        return f"is too long (maximum is {MAX_URI_LENGTH} characters)"
    if any(ch.isspace() or ord(ch) < 32 for ch in uri):
        return "must not contain whitespace or control characters"
    if "#" in uri:
        return "must not contain a fragment"
    scheme, _, rest = uri.partition(":")
    if not rest or not _SCHEME_RE.fullmatch(scheme):
        return "must be an absolute URI"
    if scheme.lower() in _FORBIDDEN_SCHEMES:
        return "uses a forbidden scheme"
    if scheme.lower() in ("http", "https"):
        try:
            parts = urlsplit(uri)
        except ValueError:
            return "must be an absolute URI"
        if not parts.hostname:
            return "must be an absolute URI"
    return None


def parse_redirect_uris(raw: str | Sequence[str]) -> tuple[str, ...]:
    """The URIs of a registration: one string (newline/space separated) or a list."""
    items = raw.split() if isinstance(raw, str) else [part for item in raw for part in item.split()]
    uris = tuple(dict.fromkeys(items))  # keep order, drop repeats
    if not uris:
        raise Invalid(
            "Validation failed: Redirect URI can't be blank",
            {"redirect_uris": [("ERR_BLANK", "can't be blank")]},
        )
    if len(uris) > MAX_REDIRECT_URIS:
        raise Invalid(
            "Validation failed: Redirect URI has too many entries",
            {"redirect_uris": [("ERR_TOO_LONG", f"at most {MAX_REDIRECT_URIS} are allowed")]},
        )
    for uri in uris:
        problem = redirect_uri_problem(uri)
        if problem is not None:
            raise Invalid(
                f"Validation failed: Redirect URI {problem}",
                {"redirect_uris": [("ERR_INVALID", problem)]},
            )
    return uris


def website_problem(website: str) -> str | None:
    if len(website) > MAX_URI_LENGTH:
        return f"is too long (maximum is {MAX_URI_LENGTH} characters)"
    try:
        parts = urlsplit(website)
    except ValueError:
        return "is not a valid URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not a valid URL"
    return None


def parse_app_scopes(raw: str | Iterable[str] | None) -> frozenset[str]:
    """The scopes an app registers (default ``read``); an unknown one is a 422."""
    scopes = parse_scopes(raw, default=DEFAULT_SCOPE)
    if scopes is None:
        unknown = " ".join(sorted(set(_split(raw)) - ALL_SCOPES))
        raise Invalid(
            f"Validation failed: Scopes {unknown} are not supported",
            {"scopes": [("ERR_INVALID", f"{unknown} are not supported")]},
        )
    return scopes


def select_scopes(requested: str | None, registered: Iterable[str]) -> frozenset[str] | None:
    """The scopes a token may carry: requested (default ``read``) and within the app's.

    None when any is unknown or outside the registration (RFC 6749 ``invalid_scope``).
    """
    scopes = parse_scopes(requested, default=DEFAULT_SCOPE)
    if scopes is None or not is_subset(scopes, registered):
        return None
    return scopes


def scope_string(scopes: Iterable[str]) -> str:
    return " ".join(ordered(scopes))


def is_valid_code_challenge(challenge: str) -> bool:
    return bool(_CHALLENGE_RE.fullmatch(challenge))


def s256_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify_pkce(verifier: str | None, challenge: str | None) -> bool:
    """RFC 7636 S256: BASE64URL(SHA256(verifier)) must equal the stored challenge.

    Without a stored challenge there is nothing to prove; with one, the verifier is required.
    """
    if challenge is None:
        return True
    if verifier is None or not _VERIFIER_RE.fullmatch(verifier):
        return False
    return hmac.compare_digest(s256_challenge(verifier), challenge)


def with_fragment(uri: str, params: dict[str, str]) -> str:
    """``uri`` with ``params`` as its fragment (response_mode=fragment, for browser apps)."""
    return f"{uri}#{urlencode(params)}"


def with_query(uri: str, params: dict[str, str]) -> str:
    """``uri`` with ``params`` appended to its query (kept if it already has one)."""
    extra = urlencode(params)
    if not extra:
        return uri
    return f"{uri}{'&' if '?' in uri else '?'}{extra}"


def _split(raw: str | Iterable[str] | None) -> list[str]:
    if raw is None:
        return []
    return raw.replace("+", " ").split() if isinstance(raw, str) else list(raw)


class RedirectableOAuthError(OAuthError):
    """An authorization error found after the client and redirect URI were verified, so it
    may be reported to the app by redirecting (RFC 6749 4.1.2.1) rather than on a page."""

    def __init__(self, error: str, description: str, *, redirect_uri: str, state: str) -> None:
        super().__init__(error, description)
        self.redirect_uri = redirect_uri
        self.state = state


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """A checked /oauth/authorize request, ready to show on the consent page."""

    app: OAuthApp
    redirect_uri: str
    scopes: frozenset[str]
    state: str
    code_challenge: str | None
    code_challenge_method: str | None
    response_mode: str = "query"

    @property
    def out_of_band(self) -> bool:
        return self.redirect_uri == OOB_REDIRECT
