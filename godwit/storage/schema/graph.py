"""The social graph: notes, follows, follow requests, blocks, mutes and lists."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
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

account_notes = Table(
    "account_notes",
    metadata,
    _account_fk("account_id"),
    _account_fk("target_account_id"),
    Column("comment", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("account_id", "target_account_id"),
)

follows = Table(
    "follows",
    metadata,
    _id(),
    _account_fk("account_id"),
    _account_fk("target_account_id"),
    Column("show_reblogs", Boolean, nullable=False, server_default="1"),
    Column("notify", Boolean, nullable=False, server_default="0"),
    Column("languages", JSON, nullable=True),
    Column("uri", String(2048), nullable=True),
    _created(),
    UniqueConstraint("account_id", "target_account_id"),
    Index("ix_follows_target_account_id_id", "target_account_id", "id"),
)

follow_requests = Table(
    "follow_requests",
    metadata,
    _id(),
    _account_fk("account_id"),
    _account_fk("target_account_id"),
    Column("show_reblogs", Boolean, nullable=False, server_default="1"),
    Column("notify", Boolean, nullable=False, server_default="0"),
    Column("languages", JSON, nullable=True),
    Column("uri", String(2048), nullable=True),
    _created(),
    UniqueConstraint("account_id", "target_account_id"),
    Index("ix_follow_requests_target_account_id_id", "target_account_id", "id"),
)

blocks = Table(
    "blocks",
    metadata,
    _id(),
    _account_fk("account_id"),
    _account_fk("target_account_id"),
    Column("uri", String(2048), nullable=True),
    _created(),
    UniqueConstraint("account_id", "target_account_id"),
    Index("ix_blocks_target_account_id", "target_account_id"),
)

mutes = Table(
    "mutes",
    metadata,
    _id(),
    _account_fk("account_id"),
    _account_fk("target_account_id"),
    Column("hide_notifications", Boolean, nullable=False, server_default="1"),
    Column("expires_at", UTCDateTime, nullable=True),
    _created(),
    UniqueConstraint("account_id", "target_account_id"),
)

# A member's lists of accounts they follow (Mastodon's List).
lists = Table(
    "lists",
    metadata,
    _id(),
    _account_fk("account_id"),  # the owner
    Column("title", String(255), nullable=False),
    Column("replies_policy", String(16), nullable=False, server_default="list"),
    Column("exclusive", Boolean, nullable=False, server_default="0"),
    _created(),
    Index("ix_lists_account_id", "account_id"),
)

# Members of a list. Each row hangs on the owner's follow of the member: unfollowing (or a
# block, which severs follows) deletes the follow and, by cascade, the membership.
list_accounts = Table(
    "list_accounts",
    metadata,
    _id(),  # the cursor of GET /api/v1/lists/:id/accounts
    Column("list_id", BigInteger, ForeignKey("lists.id", ondelete="CASCADE"), nullable=False),
    _account_fk("account_id"),
    Column("follow_id", BigInteger, ForeignKey("follows.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("list_id", "account_id"),
    Index("ix_list_accounts_account_id", "account_id"),
    Index("ix_list_accounts_follow_id", "follow_id"),
)
