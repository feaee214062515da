"""Moderation: the append-only audit log, warnings shown to members, the moderators' queue."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)

from godwit.storage.schema._base import UTCDateTime, _account_fk, _created, _id, metadata

# Append-only: migration 0003 adds triggers refusing UPDATE and DELETE (and TRUNCATE on
# PostgreSQL). No foreign keys on purpose: entries outlive what they name, and an FK's
# ON DELETE action would be an update the trigger refuses. Names are snapshots.
audit_log = Table(
    "audit_log",
    metadata,
    _id(),
    _created(),
    Column("actor_account_id", BigInteger, nullable=True),  # NULL: the operator (CLI)
    Column("actor_name", String(255), nullable=False),
    Column("action", String(64), nullable=False),  # account.suspend, status.delete, …
    Column("target_type", String(16), nullable=False),  # account | status | queue_item | …
    Column("target_id", BigInteger, nullable=True),
    Column("target_account_id", BigInteger, nullable=True),  # the member concerned
    Column("target_name", String(2048), nullable=False, server_default=""),
    Column("reason", Text, nullable=False, server_default=""),
    Column("details", JSON, nullable=False),  # before/after values, options
    Index("ix_audit_log_actor_account_id_id", "actor_account_id", "id"),
    Index("ix_audit_log_target_account_id_id", "target_account_id", "id"),
    Index("ix_audit_log_action_id", "action", "id"),
)

# Mastodon's AccountWarning: a decision as the member sees it (moderation_warning
# notifications point here through notifications.account_warning_id).
account_warnings = Table(
    "account_warnings",
    metadata,
    _id(),
    _account_fk("target_account_id"),
    Column(
        "actor_account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("action", String(32), nullable=False),  # none | sensitive | silence | suspend | …
    Column("text", Text, nullable=False, server_default=""),
    Column("status_ids", JSON, nullable=False),  # [int, …]
    Column("report_id", BigInteger, ForeignKey("reports.id", ondelete="SET NULL"), nullable=True),
    _created(),
    Index("ix_account_warnings_target_account_id_id", "target_account_id", "id"),
)

# One row per item waiting for a moderator, whatever its kind: the workflow lives here,
# the item's substance in its kind's table (reports today; held posts with issue 6).
moderation_queue = Table(
    "moderation_queue",
    metadata,
    _id(),  # a report's item has the report's id
    Column("kind", String(16), nullable=False),  # report (held_status with issue 6)
    Column(
        "report_id",
        BigInteger,
        ForeignKey("reports.id", ondelete="CASCADE"),
        nullable=True,
        unique=True,
    ),
    _account_fk("target_account_id"),
    Column("state", String(16), nullable=False, server_default="open"),  # open | resolved
    Column(
        "assigned_account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("resolution", String(32), nullable=True),  # what was done: none, suspend, …
    Column("resolution_note", Text, nullable=False, server_default=""),
    Column("resolved_at", UTCDateTime, nullable=True),
    Column(
        "resolved_by_account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="SET NULL"),
        nullable=True,
    ),
    _created(),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_moderation_queue_state_id", "state", "id"),
    Index("ix_moderation_queue_assigned_account_id_state", "assigned_account_id", "state"),
    Index("ix_moderation_queue_target_account_id_id", "target_account_id", "id"),
)
