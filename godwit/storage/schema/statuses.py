"""Statuses and what hangs off them: mentions, tags, favourites, pins, bookmarks, edits."""

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

statuses = Table(
    "statuses",
    metadata,
    _id(),
    _account_fk("account_id"),
    Column("uri", String(2048), nullable=False, unique=True),
    Column("url", String(2048), nullable=False),
    Column("local", Boolean, nullable=False),
    Column("text", Text, nullable=False, server_default=""),  # source as written
    Column("content", Text, nullable=False, server_default=""),  # rendered, sanitised HTML
    Column("spoiler_text", Text, nullable=False, server_default=""),
    Column("sensitive", Boolean, nullable=False, server_default="0"),
    Column("visibility", String(16), nullable=False),  # public | unlisted | private | direct
    Column("language", String(16), nullable=True),
    Column("in_reply_to_id", BigInteger, nullable=True),  # no FK: a parent may be deleted
    Column("in_reply_to_account_id", BigInteger, nullable=True),
    Column(
        "reblog_of_id", BigInteger, ForeignKey("statuses.id", ondelete="CASCADE"), nullable=True
    ),
    Column("conversation_id", BigInteger, nullable=True),
    Column("application_id", BigInteger, nullable=True),
    Column("replies_count", Integer, nullable=False, server_default="0"),
    Column("reblogs_count", Integer, nullable=False, server_default="0"),
    Column("favourites_count", Integer, nullable=False, server_default="0"),
    _created(),
    Column("edited_at", UTCDateTime, nullable=True),
    # The status this one quotes; no foreign key: a deleted quoted status shows as "deleted".
    Column("quote_of_id", BigInteger, nullable=True),
    # NULL: published. pending (being screened), held (waiting for a moderator) or rejected:
    # seen by the author and moderators only (the moderation pipeline, issue 6).
    Column("review_state", String(16), nullable=True),
    Index("ix_statuses_account_id_id", "account_id", "id"),
    Index("ix_statuses_in_reply_to_id", "in_reply_to_id"),
    Index("ix_statuses_reblog_of_id", "reblog_of_id"),
    Index("ix_statuses_visibility_id", "visibility", "local", "id"),
    UniqueConstraint("account_id", "reblog_of_id"),  # one reblog per account per status
)

mentions = Table(
    "mentions",
    metadata,
    _status_fk("status_id"),
    _account_fk("account_id"),
    PrimaryKeyConstraint("status_id", "account_id"),
    Index("ix_mentions_account_id_status_id", "account_id", "status_id"),
)

tags = Table(
    "tags",
    metadata,
    _id(),
    Column("name", String(255), nullable=False, unique=True),  # casefolded
    Column("display_name", String(255), nullable=False),
    _created(),
)

status_tags = Table(
    "status_tags",
    metadata,
    _status_fk("status_id"),
    Column("tag_id", BigInteger, ForeignKey("tags.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("status_id", "tag_id"),
    Index("ix_status_tags_tag_id_status_id", "tag_id", "status_id"),
)

favourites = Table(
    "favourites",
    metadata,
    _id(),
    _account_fk("account_id"),
    _status_fk("status_id"),
    _created(),
    UniqueConstraint("account_id", "status_id"),
    Index("ix_favourites_status_id", "status_id"),
)

status_pins = Table(
    "status_pins",
    metadata,
    _account_fk("account_id"),
    _status_fk("status_id"),
    _created(),
    PrimaryKeyConstraint("account_id", "status_id"),
)

# Bookmarks are paginated by their own row id (Mastodon's Link cursor), newest first.
status_bookmarks = Table(
    "status_bookmarks",
    metadata,
    _id(),
    _account_fk("account_id"),
    _status_fk("status_id"),
    _created(),
    UniqueConstraint("account_id", "status_id"),
    Index("ix_status_bookmarks_account_id_id", "account_id", "id"),
    Index("ix_status_bookmarks_status_id", "status_id"),
)

# A member's muted threads, keyed by statuses.conversation_id (the thread root's id).
# No foreign key: the root may be deleted while its replies, and the mute, live on.
conversation_mutes = Table(
    "conversation_mutes",
    metadata,
    _account_fk("account_id"),
    Column("conversation_id", BigInteger, nullable=False),
    _created(),
    PrimaryKeyConstraint("account_id", "conversation_id"),
)

# Revisions of edited statuses, oldest first by id: the original, then one per edit.
status_edits = Table(
    "status_edits",
    metadata,
    _id(),
    _status_fk("status_id"),
    Column("text", Text, nullable=False, server_default=""),
    Column("content", Text, nullable=False, server_default=""),
    Column("spoiler_text", Text, nullable=False, server_default=""),
    Column("sensitive", Boolean, nullable=False, server_default="0"),
    Column("poll_options", JSON(none_as_null=True), nullable=True),  # titles; NULL: no poll
    # The attachments the revision showed: [{"id", "description", "focus": [x, y]}].
    Column("media", JSON(none_as_null=True), nullable=True),
    _created(),
    Index("ix_status_edits_status_id_id", "status_id", "id"),
)

# Private notes a member keeps about other accounts (Relationship.note).
