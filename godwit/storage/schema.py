"""Every table, in one place. One schema serves SQLite and PostgreSQL.

Designed for the whole mission: accounts and statuses carry canonical URIs and a domain
(empty for local), accounts carry an RSA key pair, statuses know whether they are local,
so federation and migration arrive without a rewrite. IDs are application-made 64-bit
snowflakes (see godwit.domain.ids), never database sequences.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use UTC-aware datetimes")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _id() -> Column[int]:
    return Column("id", BigInteger, primary_key=True, autoincrement=False)


def _account_fk(name: str, *, nullable: bool = False) -> Column[int]:
    return Column(
        name, BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=nullable
    )


def _status_fk(name: str, *, nullable: bool = False) -> Column[int]:
    return Column(
        name, BigInteger, ForeignKey("statuses.id", ondelete="CASCADE"), nullable=nullable
    )


def _created() -> Column[dt.datetime]:
    return Column("created_at", UTCDateTime, nullable=False)


accounts = Table(
    "accounts",
    metadata,
    _id(),
    Column("username", String(64), nullable=False),
    Column("username_key", String(64), nullable=False),  # casefolded, for uniqueness and lookup
    Column("domain", String(255), nullable=False, server_default=""),  # "" = local
    Column("display_name", String(255), nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),  # rendered HTML
    Column("note_source", Text, nullable=False, server_default=""),
    Column("fields", JSON, nullable=False),  # [{"name","value","value_html","verified_at"}]
    Column("uri", String(2048), nullable=False, unique=True),
    Column("url", String(2048), nullable=False),
    Column("inbox_url", String(2048), nullable=False, server_default=""),
    Column("shared_inbox_url", String(2048), nullable=False, server_default=""),
    Column("outbox_url", String(2048), nullable=False, server_default=""),
    Column("followers_url", String(2048), nullable=False, server_default=""),
    Column("public_key_pem", Text, nullable=False),
    Column("private_key_pem", Text, nullable=True),  # only local accounts hold a private key
    Column("avatar_path", String(1024), nullable=True),
    Column("header_path", String(1024), nullable=True),
    Column("locked", Boolean, nullable=False, server_default="0"),
    Column("bot", Boolean, nullable=False, server_default="0"),
    Column("discoverable", Boolean, nullable=False, server_default="1"),
    Column("indexable", Boolean, nullable=False, server_default="1"),
    Column("memorial", Boolean, nullable=False, server_default="0"),
    Column("suspended_at", UTCDateTime, nullable=True),
    Column("silenced_at", UTCDateTime, nullable=True),
    Column("moved_to_account_id", BigInteger, nullable=True),
    Column("statuses_count", Integer, nullable=False, server_default="0"),
    Column("followers_count", Integer, nullable=False, server_default="0"),
    Column("following_count", Integer, nullable=False, server_default="0"),
    Column("last_status_at", UTCDateTime, nullable=True),
    _created(),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("username_key", "domain"),
)

users = Table(
    "users",
    metadata,
    _id(),
    _account_fk("account_id"),
    Column("email", String(320), nullable=False, unique=True),  # normalised (lower-case)
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False, server_default="member"),
    Column("approved", Boolean, nullable=False, server_default="1"),
    Column("disabled", Boolean, nullable=False, server_default="0"),
    Column("locale", String(16), nullable=False, server_default="en"),
    Column("signup_reason", Text, nullable=False, server_default=""),
    Column("signup_ip", String(64), nullable=False, server_default=""),
    Column("preferences", JSON, nullable=False),  # default visibility, sensitive, language…
    _created(),
    Column("last_sign_in_at", UTCDateTime, nullable=True),
    UniqueConstraint("account_id"),
)

oauth_apps = Table(
    "oauth_apps",
    metadata,
    _id(),
    Column("name", String(255), nullable=False),
    Column("website", String(2048), nullable=True),
    Column("redirect_uris", Text, nullable=False),  # newline separated
    Column("scopes", Text, nullable=False),  # space separated
    Column("client_id", String(64), nullable=False, unique=True),
    Column("client_secret_hash", String(128), nullable=False),  # SHA-256 of the secret
    Column("owner_user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    _created(),
)

oauth_codes = Table(
    "oauth_codes",
    metadata,
    _id(),
    Column("code_hash", String(128), nullable=False, unique=True),
    Column("app_id", BigInteger, ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("scopes", Text, nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("code_challenge", String(128), nullable=True),
    Column("code_challenge_method", String(16), nullable=True),
    Column("expires_at", UTCDateTime, nullable=False),
    _created(),
    Column("used_at", UTCDateTime, nullable=True),  # single use: a replay finds it set
)

oauth_tokens = Table(
    "oauth_tokens",
    metadata,
    _id(),
    Column("token_hash", String(128), nullable=False, unique=True),  # SHA-256 of the token
    Column("app_id", BigInteger, ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("scopes", Text, nullable=False),
    _created(),
    Column("last_used_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
    # The authorization code this token came from: a replayed code revokes its tokens.
    Column("code_id", BigInteger, nullable=True),
    Index("ix_oauth_tokens_user", "user_id"),
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
    _created(),
    Index("ix_status_edits_status_id_id", "status_id", "id"),
)

# Private notes a member keeps about other accounts (Relationship.note).
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
    # The moderators' queue (a later issue) works on these columns.
    Column("action_taken", Boolean, nullable=False, server_default="0"),
    Column("action_taken_at", UTCDateTime, nullable=True),
    Column(
        "action_taken_by_account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column(
        "assigned_account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Index("ix_reports_action_taken_id", "action_taken", "id"),
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
    Column("meta", JSON, nullable=False),  # {"width", "height", "preview_width", ...}
    Column("description", Text, nullable=True),
    Column("focus_x", Float, nullable=False, server_default="0"),
    Column("focus_y", Float, nullable=False, server_default="0"),
    Column("blurhash", String(64), nullable=True),
    Column("processed", Boolean, nullable=False, server_default="1"),
    _created(),
    Index("ix_media_attachments_status_id", "status_id"),
    Index("ix_media_attachments_account_id_id", "account_id", "id"),
)
