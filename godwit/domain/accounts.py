"""Accounts: local members and remote actors, and the rules for their names and profiles."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

USERNAME_RE = re.compile(r"^[A-Za-z0-9_]{1,30}$")
MAX_DISPLAY_NAME = 30
MAX_NOTE = 500
MAX_FIELDS = 4
MAX_FIELD_NAME = 255
MAX_FIELD_VALUE = 255

# Names that would impersonate the server or collide with routes and well-known accounts.
RESERVED_USERNAMES = frozenset(
    {
        "admin", "administrator", "root", "system", "support", "help", "info", "security",
        "abuse", "postmaster", "hostmaster", "webmaster", "noreply", "no_reply", "moderator",
        "moderators", "mod", "mods", "staff", "official", "godwit", "mastodon", "instance",
        "server", "owner", "operator", "api", "oauth", "about", "settings", "web", "static",
        "media", "users", "inbox", "outbox", "relay", "actor", "auth", "login", "logout",
        "signup", "register", "explore", "search", "tags", "notifications", "well_known",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProfileField:
    name: str
    value: str  # as written
    value_html: str  # rendered, sanitised
    verified_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    domain: str  # "" for local accounts
    display_name: str
    note: str  # rendered HTML
    note_source: str
    uri: str
    url: str
    locked: bool
    bot: bool
    discoverable: bool
    indexable: bool
    created_at: dt.datetime
    statuses_count: int = 0
    followers_count: int = 0
    following_count: int = 0
    last_status_at: dt.datetime | None = None
    fields: tuple[ProfileField, ...] = ()
    avatar_path: str | None = None
    header_path: str | None = None
    suspended: bool = False
    silenced: bool = False  # limited by a moderator
    sensitized: bool = False  # a moderator forced its media behind a warning
    memorial: bool = False
    moved_to_account_id: int | None = None
    inbox_url: str = ""
    public_key_pem: str = ""

    @property
    def local(self) -> bool:
        return self.domain == ""

    @property
    def acct(self) -> str:
        return self.username if self.local else f"{self.username}@{self.domain}"


Role = str  # "member" | "moderator" | "admin"
ROLES: tuple[Role, ...] = ("member", "moderator", "admin")


@dataclass(frozen=True, slots=True)
class User:
    """The login behind a local account."""

    id: int
    account_id: int
    email: str
    role: Role
    approved: bool
    disabled: bool
    locale: str
    created_at: dt.datetime
    preferences: dict[str, object] = field(default_factory=dict)

    @property
    def can_sign_in(self) -> bool:
        return self.approved and not self.disabled


def username_key(username: str) -> str:
    """The form used for uniqueness and lookup: case-insensitive."""
    return username.casefold()


def username_problems(username: str) -> list[tuple[str, str]]:
    """Why a requested username cannot be used, as (error code, description) pairs."""
    if not username:
        return [("ERR_BLANK", "can't be blank")]
    if len(username) > 30:
        return [("ERR_TOO_LONG", "is too long (maximum is 30 characters)")]
    if not USERNAME_RE.fullmatch(username):
        return [("ERR_INVALID", "must contain only letters, numbers and underscores")]
    if username_key(username) in RESERVED_USERNAMES:
        return [("ERR_RESERVED", "is reserved")]
    return []


EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problems(email: str) -> list[tuple[str, str]]:
    if not email:
        return [("ERR_BLANK", "can't be blank")]
    if len(email) > 320 or not EMAIL_RE.fullmatch(email):
        return [("ERR_INVALID", "is invalid")]
    return []


MIN_PASSWORD = 8
MAX_PASSWORD = 128


def password_problems(password: str) -> list[tuple[str, str]]:
    if not password:
        return [("ERR_BLANK", "can't be blank")]
    if len(password) < MIN_PASSWORD:
        return [("ERR_TOO_SHORT", f"is too short (minimum is {MIN_PASSWORD} characters)")]
    if len(password) > MAX_PASSWORD:
        return [("ERR_TOO_LONG", f"is too long (maximum is {MAX_PASSWORD} characters)")]
    return []


@dataclass(frozen=True, slots=True)
class KeyPair:
    """An account's RSA key pair, PEM-encoded (public: SubjectPublicKeyInfo, private: PKCS#8)."""

    public_pem: str
    private_pem: str


@dataclass(frozen=True, slots=True)
class NewLocalAccount:
    """Everything needed to create a local account and its login in one write."""

    account_id: int
    user_id: int
    username: str
    email: str  # normalised
    password_hash: str
    keys: KeyPair
    base_url: str
    created_at: dt.datetime
    role: Role = "member"
    approved: bool = True
    locale: str = "en"
    reason: str = ""
    signup_ip: str = ""
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """A partial profile update: None leaves a value as it is."""

    display_name: str | None = None
    note: str | None = None  # rendered HTML
    note_source: str | None = None
    fields: tuple[ProfileField, ...] | None = None
    locked: bool | None = None
    bot: bool | None = None
    discoverable: bool | None = None
    indexable: bool | None = None
    avatar_path: str | None = None  # URL of a processed upload (or a path on this server)
    header_path: str | None = None


def local_account_urls(base_url: str, username: str) -> dict[str, str]:
    """The canonical addresses of a local account (federation-ready from day one)."""
    actor = f"{base_url}/users/{username}"
    return {
        "uri": actor,
        "url": f"{base_url}/@{username}",
        "inbox_url": f"{actor}/inbox",
        "outbox_url": f"{actor}/outbox",
        "followers_url": f"{actor}/followers",
        "shared_inbox_url": f"{base_url}/inbox",
    }


# Keys of User.preferences: the names Mastodon's GET /api/v1/preferences uses, so that
# endpoint and posting defaults read them as they are.
PREF_PRIVACY = "posting:default:visibility"
PREF_SENSITIVE = "posting:default:sensitive"
PREF_LANGUAGE = "posting:default:language"
DEFAULT_PRIVACIES = ("public", "unlisted", "private")


def posting_defaults(user: User) -> tuple[str, bool, str | None]:
    """(default visibility, default sensitive, default language) from a user's preferences."""
    privacy = user.preferences.get(PREF_PRIVACY)
    language = user.preferences.get(PREF_LANGUAGE)
    return (
        privacy if isinstance(privacy, str) and privacy in DEFAULT_PRIVACIES else "public",
        user.preferences.get(PREF_SENSITIVE) is True,
        language if isinstance(language, str) and language else None,
    )
