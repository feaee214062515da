"""Delivery: notifications, home feeds, durable jobs, idempotency keys and markers."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    PrimaryKeyConstraint,
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
    _status_fk,
    metadata,
)

notifications = Table(
    "notifications",
    metadata,
    _id(),
    _account_fk("account_id"),  # recipient
    _account_fk("from_account_id"),
    Column("type", String(32), nullable=False),
    _status_fk("status_id", nullable=True),
    _created(),
    Index("ix_notifications_account_id_id", "account_id", "id"),
    Index("ix_notifications_status_id", "status_id"),
    Index("ix_notifications_from_account_id", "from_account_id"),
)

home_feed = Table(
    "home_feed",
    metadata,
    _account_fk("account_id"),  # the reader
    _status_fk("status_id"),  # the entry (a status or a reblog)
    Column("entry_key", BigInteger, nullable=False),  # reblog_of_id or status_id: de-duplicates
    Column("author_id", BigInteger, nullable=False),  # who made the entry (for unfollow)
    PrimaryKeyConstraint("account_id", "status_id"),
    UniqueConstraint("account_id", "entry_key"),
    Index("ix_home_feed_status_id", "status_id"),
    Index("ix_home_feed_account_id_author_id", "account_id", "author_id"),
)

jobs = Table(
    "jobs",
    metadata,
    _id(),
    Column("kind", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("state", String(16), nullable=False),  # queued | running | done | failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("max_attempts", Integer, nullable=False, server_default="10"),
    Column("run_at", UTCDateTime, nullable=False),
    Column("locked_by", String(64), nullable=True),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    _created(),
    Index("ix_jobs_state_run_at", "state", "run_at"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    _account_fk("account_id"),
    Column("key", String(255), nullable=False),
    _status_fk("status_id"),
    _created(),
    PrimaryKeyConstraint("account_id", "key"),
)

markers = Table(
    "markers",
    metadata,
    _account_fk("account_id"),
    Column("timeline", String(32), nullable=False),
    Column("last_read_id", BigInteger, nullable=False),
    Column("version", Integer, nullable=False, server_default="0"),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("account_id", "timeline"),
)
