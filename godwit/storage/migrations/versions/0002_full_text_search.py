"""full-text search of statuses

Dialect-specific, so hand-written (schema.py holds only portable tables):
- SQLite: an FTS5 table whose rowid is the status id, plus a trigger that removes the entry
  when the status row goes (also when it goes by cascade, e.g. with its account), which is
  what the foreign key's ON DELETE CASCADE does on PostgreSQL.
- PostgreSQL: a side table of tsvectors ('simple' configuration: posts are multilingual and
  the text is normalised in Python before indexing) with a GIN index.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE status_search USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER status_search_forget AFTER DELETE ON statuses "
            "BEGIN DELETE FROM status_search WHERE rowid = old.id; END"
        )
        return
    op.execute(
        "CREATE TABLE status_search ("
        "status_id BIGINT PRIMARY KEY REFERENCES statuses (id) ON DELETE CASCADE, "
        "document TSVECTOR NOT NULL)"
    )
    op.execute("CREATE INDEX ix_status_search_document ON status_search USING GIN (document)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS status_search_forget")
    op.execute("DROP TABLE IF EXISTS status_search")
