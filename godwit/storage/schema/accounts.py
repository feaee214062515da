"""Accounts, their logins, and OAuth applications, codes and tokens."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from godwit.storage.schema._base import (
    UTCDateTime,
    _account_fk,
    _created,
    _id,
    metadata,
)

accounts = Table(
    "accounts",
    metadata,
    _id(),
    Column("username", String(64), nullable=False),
    Column("username_key", String(64), nullable=False),  # casefolded, for uniqueness and lookup
    Column("domain", String(255), nullable=False, server_default=""),  # "" = local
    Column("display_name", String(255), nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),  # rendered HTML
    Column("note_source", Text, nullable=False, server_default=""),
    Column("fields", JSON, nullable=False),  # [{"name","value","value_html","verified_at"}]
    Column("uri", String(2048), nullable=False, unique=True),
    Column("url", String(2048), nullable=False),
    Column("inbox_url", String(2048), nullable=False, server_default=""),
    Column("shared_inbox_url", String(2048), nullable=False, server_default=""),
    Column("outbox_url", String(2048), nullable=False, server_default=""),
    Column("followers_url", String(2048), nullable=False, server_default=""),
    Column("public_key_pem", Text, nullable=False),
    Column("private_key_pem", Text, nullable=True),  # only local accounts hold a private key
    Column("avatar_path", String(1024), nullable=True),
    Column("header_path", String(1024), nullable=True),
    Column("locked", Boolean, nullable=False, server_default="0"),
    Column("bot", Boolean, nullable=False, server_default="0"),
    Column("discoverable", Boolean, nullable=False, server_default="1"),
    Column("indexable", Boolean, nullable=False, server_default="1"),
    Column("memorial", Boolean, nullable=False, server_default="0"),
    Column("suspended_at", UTCDateTime, nullable=True),
    Column("silenced_at", UTCDateTime, nullable=True),
    Column("sensitized_at", UTCDateTime, nullable=True),  # media forced behind a warning
    Column("moved_to_account_id", BigInteger, nullable=True),
    Column("statuses_count", Integer, nullable=False, server_default="0"),
    Column("followers_count", Integer, nullable=False, server_default="0"),
    Column("following_count", Integer, nullable=False, server_default="0"),
    Column("last_status_at", UTCDateTime, nullable=True),
    _created(),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("username_key", "domain"),
)

users = Table(
    "users",
    metadata,
    _id(),
    _account_fk("account_id"),
    Column("email", String(320), nullable=False, unique=True),  # normalised (lower-case)
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False, server_default="member"),
    Column("approved", Boolean, nullable=False, server_default="1"),
    Column("disabled", Boolean, nullable=False, server_default="0"),
    Column("locale", String(16), nullable=False, server_default="en"),
    Column("signup_reason", Text, nullable=False, server_default=""),
    Column("signup_ip", String(64), nullable=False, server_default=""),
    Column("preferences", JSON, nullable=False),  # default visibility, sensitive, language…
    _created(),
    Column("last_sign_in_at", UTCDateTime, nullable=True),
    UniqueConstraint("account_id"),
)

oauth_apps = Table(
    "oauth_apps",
    metadata,
    _id(),
    Column("name", String(255), nullable=False),
    Column("website", String(2048), nullable=True),
    Column("redirect_uris", Text, nullable=False),  # newline separated
    Column("scopes", Text, nullable=False),  # space separated
    Column("client_id", String(64), nullable=False, unique=True),
    Column("client_secret_hash", String(128), nullable=False),  # SHA-256 of the secret
    Column("owner_user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    _created(),
)

oauth_codes = Table(
    "oauth_codes",
    metadata,
    _id(),
    Column("code_hash", String(128), nullable=False, unique=True),
    Column("app_id", BigInteger, ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("scopes", Text, nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("code_challenge", String(128), nullable=True),
    Column("code_challenge_method", String(16), nullable=True),
    Column("expires_at", UTCDateTime, nullable=False),
    _created(),
    Column("used_at", UTCDateTime, nullable=True),  # single use: a replay finds it set
)

oauth_tokens = Table(
    "oauth_tokens",
    metadata,
    _id(),
    Column("token_hash", String(128), nullable=False, unique=True),  # SHA-256 of the token
    Column("app_id", BigInteger, ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("scopes", Text, nullable=False),
    _created(),
    Column("last_used_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
    # The authorization code this token came from: a replayed code revokes its tokens.
    Column("code_id", BigInteger, nullable=True),
    Index("ix_oauth_tokens_user", "user_id"),
)
