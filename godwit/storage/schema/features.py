"""Polls, scheduled statuses, conversations, filters and media attachments."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
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
    _status_fk,
    metadata,
)

polls = Table(
    "polls",
    metadata,
    _id(),
    _status_fk("status_id"),
    _account_fk("account_id"),  # the status's author
    Column("options", JSON, nullable=False),
    Column("tallies", JSON, nullable=False),
    Column("multiple", Boolean, nullable=False, server_default="0"),
    Column("hide_totals", Boolean, nullable=False, server_default="0"),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("votes_count", Integer, nullable=False, server_default="0"),
    Column("voters_count", Integer, nullable=False, server_default="0"),
    _created(),
    UniqueConstraint("status_id"),
    Index("ix_polls_expires_at", "expires_at"),
)

poll_votes = Table(
    "poll_votes",
    metadata,
    _id(),
    Column("poll_id", BigInteger, ForeignKey("polls.id", ondelete="CASCADE"), nullable=False),
    _account_fk("account_id"),
    Column("choice", Integer, nullable=False),
    _created(),
    UniqueConstraint("poll_id", "account_id", "choice"),
    Index("ix_poll_votes_account_id", "account_id"),
)

# Statuses to publish later: ``params`` holds the post as the client sent it.
scheduled_statuses = Table(
    "scheduled_statuses",
    metadata,
    _id(),
    _account_fk("account_id"),
    Column("scheduled_at", UTCDateTime, nullable=False),
    Column("params", JSON, nullable=False),
    Column("application_id", BigInteger, nullable=True),
    _created(),
    Index("ix_scheduled_statuses_account_id_id", "account_id", "id"),
)

# Direct-message conversations, one row per participant and thread (the thread root's id,
# statuses.conversation_id). ``participant_ids`` are the other accounts in it.
account_conversations = Table(
    "account_conversations",
    metadata,
    _id(),
    _account_fk("account_id"),
    Column("conversation_key", BigInteger, nullable=False),
    Column("participant_ids", JSON, nullable=False),
    Column("last_status_id", BigInteger, nullable=False),
    Column("unread", Boolean, nullable=False, server_default="0"),
    UniqueConstraint("account_id", "conversation_key"),
    Index("ix_account_conversations_account_id_last_status_id", "account_id", "last_status_id"),
)

filters = Table(
    "filters",
    metadata,
    _id(),
    _account_fk("account_id"),
    Column("title", String(256), nullable=False),
    Column("context", JSON, nullable=False),  # list of home|notifications|public|thread|account
    Column("action", String(16), nullable=False),  # warn | hide | blur
    Column("expires_at", UTCDateTime, nullable=True),
    _created(),
    Index("ix_filters_account_id", "account_id"),
)

filter_keywords = Table(
    "filter_keywords",
    metadata,
    _id(),
    Column("filter_id", BigInteger, ForeignKey("filters.id", ondelete="CASCADE"), nullable=False),
    Column("keyword", String(512), nullable=False),
    Column("whole_word", Boolean, nullable=False, server_default="1"),
    _created(),
    Index("ix_filter_keywords_filter_id", "filter_id"),
)

filter_statuses = Table(
    "filter_statuses",
    metadata,
    _id(),
    Column("filter_id", BigInteger, ForeignKey("filters.id", ondelete="CASCADE"), nullable=False),
    _status_fk("status_id"),
    _created(),
    UniqueConstraint("filter_id", "status_id"),
    Index("ix_filter_statuses_status_id", "status_id"),
)

# Uploaded media. status_id is set when a post attaches it; deleting the post deletes the
# rows in the same transaction (after reading their file keys, which a job then deletes),
# and unattached rows expire through a job a day after upload.
media_attachments = Table(
    "media_attachments",
    metadata,
    _id(),
    _account_fk("account_id"),
    Column("status_id", BigInteger, ForeignKey("statuses.id", ondelete="SET NULL"), nullable=True),
    Column("position", Integer, nullable=False, server_default="0"),  # order within the post
    Column("type", String(16), nullable=False),  # image | gifv | video | audio | unknown
    Column("file_key", String(512), nullable=False),
    Column("preview_key", String(512), nullable=True),
    Column("content_type", String(64), nullable=False),
    Column("file_size", Integer, nullable=False),
    # {"width", "height", "preview_width", …, "motion": {…}, "upload_key", "error"}
    Column("meta", JSON, nullable=False),
    Column("description", Text, nullable=True),
    Column("focus_x", Float, nullable=False, server_default="0"),
    Column("focus_y", Float, nullable=False, server_default="0"),
    Column("blurhash", String(64), nullable=True),
    # queued (video/gifv/audio waiting for the media.process job) | complete | failed
    Column("processing", String(16), nullable=False, server_default="complete"),
    # Removed from its post by an edit; kept (with its files) for the post's history.
    Column("detached", Boolean, nullable=False, server_default="0"),
    _created(),
    Index("ix_media_attachments_status_id", "status_id"),
    Index("ix_media_attachments_account_id_id", "account_id", "id"),
)
