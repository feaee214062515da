"""Web Push: one subscription per access token, and the server's own key pairs."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)

from godwit.storage.schema._base import UTCDateTime, _account_fk, _created, _id, metadata

push_subscriptions = Table(
    "push_subscriptions",
    metadata,
    _id(),
    # One per token; deleting (or, in storage, revoking) the token removes it.
    Column(
        "token_id",
        BigInteger,
        ForeignKey("oauth_tokens.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    _account_fk("account_id"),  # the recipient, for the lookup at notification time
    Column("endpoint", String(2048), nullable=False),
    Column("key_p256dh", String(128), nullable=False),  # base64url
    Column("key_auth", String(64), nullable=False),  # base64url
    Column("standard", Boolean, nullable=False, server_default="0"),
    Column("alerts", JSON, nullable=False),  # [type, …] the alerts turned on
    Column("policy", String(16), nullable=False, server_default="all"),
    Column("sealed_token", Text, nullable=False, server_default=""),  # see ports.push
    _created(),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_push_subscriptions_account_id", "account_id"),
)

# Key pairs the server itself owns, by purpose ("vapid"). In the database, so every process
# shares them and a backup carries them.
server_keys = Table(
    "server_keys",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("public_key", Text, nullable=False),
    Column("private_key", Text, nullable=False),
    _created(),
)
