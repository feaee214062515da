"""Moderation: the append-only audit log, warnings shown to members, the moderators' queue."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
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
# the item's substance in its kind's table (reports; status_reviews for held posts).
moderation_queue = Table(
    "moderation_queue",
    metadata,
    _id(),  # a report's item has the report's id
    Column("kind", String(16), nullable=False),  # report | held_status
    Column(
        "report_id",
        BigInteger,
        ForeignKey("reports.id", ondelete="CASCADE"),
        nullable=True,
        unique=True,
    ),
    # A held post's item has the post's id; deleting the post removes its item.
    Column(
        "status_id",
        BigInteger,
        ForeignKey("statuses.id", ondelete="CASCADE"),
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

# The community's own rules for new and edited posts (the moderation pipeline's first step).
content_rules = Table(
    "content_rules",
    metadata,
    _id(),
    Column("kind", String(16), nullable=False),  # keyword | regex
    Column("pattern", Text, nullable=False),
    Column("action", String(16), nullable=False),  # label | hold | reject
    Column("reason", Text, nullable=False, server_default=""),
    Column("new_accounts_only", Boolean, nullable=False, server_default="0"),
    _created(),
)

# What the pipeline decided about a post, and why (rules, limits, the threat score and the
# nearest seed examples): the evidence moderators see with a held post.
status_reviews = Table(
    "status_reviews",
    metadata,
    Column(
        "status_id",
        BigInteger,
        ForeignKey("statuses.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("verdict", String(16), nullable=False),  # publish | label | hold | reject
    Column("score", Float, nullable=True),
    Column("reasons", JSON, nullable=False),  # [{source, verdict, detail, rule_id}, …]
    Column("decision", String(16), nullable=True),  # approved | rejected (by a moderator)
    Column("decision_note", Text, nullable=False, server_default=""),
    Column(
        "decided_by_account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("decided_at", UTCDateTime, nullable=True),
    # An edit of a post published before: let through, it is published as an edit.
    Column("edit", Boolean, nullable=False, server_default="0"),
    Column("updated_at", UTCDateTime, nullable=False),
)
