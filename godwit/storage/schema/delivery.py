"""Delivery: notifications, home feeds, durable jobs, idempotency keys and markers."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
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
    # favourite-<status>, reblog-<status>, follow-<day>…; NULL for types that never group.
    Column("group_key", String(64), nullable=True),
    # Held back by the recipient's notification policy (see notification_requests).
    Column("filtered", Boolean, nullable=False, server_default="0"),
    # moderation_warning notifications: the warning they show.
    Column(
        "account_warning_id",
        BigInteger,
        ForeignKey("account_warnings.id", ondelete="CASCADE"),
        nullable=True,
    ),
    Index("ix_notifications_account_id_id", "account_id", "id"),
    Index("ix_notifications_account_id_group_key", "account_id", "group_key"),
    Index("ix_notifications_status_id", "status_id"),
    Index("ix_notifications_from_account_id", "from_account_id"),
    Index("ix_notifications_account_warning_id", "account_warning_id"),
)

# Per member; a member without a row has the defaults (godwit.domain.notification_policy).
notification_policies = Table(
    "notification_policies",
    metadata,
    _account_fk("account_id"),
    Column("for_not_following", String(8), nullable=False),
    Column("for_not_followers", String(8), nullable=False),
    Column("for_new_accounts", String(8), nullable=False),
    Column("for_private_mentions", String(8), nullable=False),
    Column("for_limited_accounts", String(8), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("account_id"),
)

# One per (recipient, sender) with filtered notifications waiting for accept or dismiss.
notification_requests = Table(
    "notification_requests",
    metadata,
    _id(),
    _account_fk("account_id"),  # recipient
    _account_fk("from_account_id"),
    Column(
        "last_status_id",
        BigInteger,
        ForeignKey("statuses.id", ondelete="SET NULL"),
        nullable=True,
    ),
    _created(),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("account_id", "from_account_id"),
    Index("ix_notification_requests_account_id_id", "account_id", "id"),
    Index("ix_notification_requests_from_account_id", "from_account_id"),
)

# Senders whose request the recipient accepted: their notifications are never filtered.
notification_permissions = Table(
    "notification_permissions",
    metadata,
    _account_fk("account_id"),  # recipient
    _account_fk("from_account_id"),
    _created(),
    PrimaryKeyConstraint("account_id", "from_account_id"),
    Index("ix_notification_permissions_from_account_id", "from_account_id"),
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
