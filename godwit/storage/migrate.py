"""Apply the Alembic migrations (``godwit migrate`` and first start)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from godwit.storage.database import ensure_sqlite_dir

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    ensure_sqlite_dir(database_url)
    command.upgrade(alembic_config(database_url), revision)
    _use_wal(database_url)


def _use_wal(database_url: str) -> None:
    """Put a SQLite database in WAL mode once, while nothing else has it open: the mode is
    kept in the file, so later connections never need the exclusive lock the switch takes."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return
    connection = sqlite3.connect(url.database)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()


def make_revision(database_url: str, message: str, rev_id: str | None = None) -> None:
    """Developer helper: autogenerate a migration from the schema."""
    command.revision(
        alembic_config(database_url), message=message, autogenerate=True, rev_id=rev_id
    )
