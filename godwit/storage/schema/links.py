"""Preview cards of links in posts, cached per normalised URL, and which post shows which."""

from __future__ import annotations

from sqlalchemy import (
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
)

from godwit.storage.schema._base import UTCDateTime, _created, _id, _status_fk, metadata

# One row per normalised URL (``url_hash`` is its SHA-256, so the unique index stays small
# whatever the URL's length). A fetch that gave nothing is kept with ``usable`` false, so
# the link is not fetched again for every post until it is stale. A job fetching the URL
# holds the row (``fetch_token``, until ``fetch_until``), so concurrent jobs for one URL
# fetch it once; only the holder's save is kept.
preview_cards = Table(
    "preview_cards",
    metadata,
    _id(),
    Column("url_hash", String(64), nullable=False, unique=True),
    Column("url", Text, nullable=False),
    Column("usable", Boolean, nullable=False, server_default="0"),
    Column("type", String(16), nullable=False, server_default="link"),
    Column("title", String(512), nullable=False, server_default=""),
    Column("description", Text, nullable=False, server_default=""),
    Column("author_name", String(512), nullable=False, server_default=""),
    Column("author_url", Text, nullable=False, server_default=""),
    Column("provider_name", String(512), nullable=False, server_default=""),
    Column("provider_url", Text, nullable=False, server_default=""),
    Column("image_key", String(1024), nullable=True),  # in the media store
    Column("width", Integer, nullable=False, server_default="0"),
    Column("height", Integer, nullable=False, server_default="0"),
    Column("blurhash", String(128), nullable=True),
    Column("language", String(16), nullable=True),
    Column("published_at", UTCDateTime, nullable=True),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("fetch_token", String(64), nullable=True),
    Column("fetch_until", UTCDateTime, nullable=True),
    _created(),
)

# The card a status shows (at most one: its first eligible link's).
status_preview_cards = Table(
    "status_preview_cards",
    metadata,
    _status_fk("status_id"),
    Column(
        "card_id",
        BigInteger,
        ForeignKey("preview_cards.id", ondelete="CASCADE"),
        nullable=False,
    ),
    PrimaryKeyConstraint("status_id"),
    Index("ix_status_preview_cards_card_id_status_id", "card_id", "status_id"),
)
