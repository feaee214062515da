"""Server-wide and community tables: settings, rules, emojis, reports, tags, announcements."""

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
    metadata,
)

server_settings = Table(
    "server_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
)

instance_rules = Table(
    "instance_rules",
    metadata,
    _id(),
    Column("text", Text, nullable=False),
    Column("hint", Text, nullable=False, server_default=""),
    Column("position", Integer, nullable=False, server_default="0"),
    _created(),
    # Deleted rules are kept (reports cite them by id), as Mastodon discards them.
    Column("deleted_at", UTCDateTime, nullable=True),
)

custom_emojis = Table(
    "custom_emojis",
    metadata,
    _id(),
    Column("shortcode", String(64), nullable=False),
    Column("domain", String(255), nullable=False, server_default=""),
    Column("image_path", String(1024), nullable=False),
    Column("visible_in_picker", Boolean, nullable=False, server_default="1"),
    Column("category", String(64), nullable=True),
    _created(),
    UniqueConstraint("shortcode", "domain"),
)

# -- tier 3: reports, per-member domain blocks, tags followed and featured, endorsements,
# -- suggestions dismissed, announcements.

reports = Table(
    "reports",
    metadata,
    _id(),
    _account_fk("account_id"),  # the reporter
    _account_fk("target_account_id"),
    Column("status_ids", JSON, nullable=False),  # [int, …] the reported posts
    Column("rule_ids", JSON, nullable=False),  # [int, …] only for category "violation"
    Column("category", String(16), nullable=False),  # spam | legal | violation | other
    Column("comment", Text, nullable=False, server_default=""),
    Column("forward", Boolean, nullable=False, server_default="0"),
    _created(),
    Column("updated_at", UTCDateTime, nullable=False),
    # Its state, assignment and resolution are its moderation_queue item's (schema/moderation).
    Index("ix_reports_target_account_id", "target_account_id"),
    Index("ix_reports_account_id", "account_id"),
)

account_domain_blocks = Table(
    "account_domain_blocks",
    metadata,
    _id(),
    _account_fk("account_id"),
    Column("domain", String(255), nullable=False),  # normalised: lower-case, IDNA
    _created(),
    UniqueConstraint("account_id", "domain"),
)

tag_follows = Table(
    "tag_follows",
    metadata,
    _id(),
    _account_fk("account_id"),
    Column("tag_id", BigInteger, ForeignKey("tags.id", ondelete="CASCADE"), nullable=False),
    _created(),
    UniqueConstraint("account_id", "tag_id"),
    Index("ix_tag_follows_tag_id_account_id", "tag_id", "account_id"),
)

featured_tags = Table(
    "featured_tags",
    metadata,
    _id(),
    _account_fk("account_id"),
    Column("tag_id", BigInteger, ForeignKey("tags.id", ondelete="CASCADE"), nullable=False),
    _created(),
    UniqueConstraint("account_id", "tag_id"),
)

account_pins = Table(
    "account_pins",
    metadata,
    _id(),
    _account_fk("account_id"),  # who endorses
    _account_fk("target_account_id"),  # whom
    _created(),
    UniqueConstraint("account_id", "target_account_id"),
    Index("ix_account_pins_target_account_id", "target_account_id"),
)

suggestion_dismissals = Table(
    "suggestion_dismissals",
    metadata,
    _account_fk("account_id"),
    _account_fk("target_account_id"),
    _created(),
    PrimaryKeyConstraint("account_id", "target_account_id"),
)

announcements = Table(
    "announcements",
    metadata,
    _id(),
    Column("text", Text, nullable=False),  # source as the moderator wrote it
    Column("content", Text, nullable=False),  # rendered HTML
    Column("starts_at", UTCDateTime, nullable=True),
    Column("ends_at", UTCDateTime, nullable=True),
    Column("all_day", Boolean, nullable=False, server_default="0"),
    Column("published_at", UTCDateTime, nullable=True),  # None: a draft
    _created(),
    Column("updated_at", UTCDateTime, nullable=False),
)

announcement_dismissals = Table(
    "announcement_dismissals",
    metadata,
    Column(
        "announcement_id",
        BigInteger,
        ForeignKey("announcements.id", ondelete="CASCADE"),
        nullable=False,
    ),
    _account_fk("account_id"),
    _created(),
    PrimaryKeyConstraint("announcement_id", "account_id"),
)


# A poll attached to a status (one at most); options are [{"title": …}] in order, and
# ``tallies`` the votes per option, recounted from poll_votes under the poll's row lock.
