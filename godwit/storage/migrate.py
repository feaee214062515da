"""Apply the Alembic migrations (``godwit migrate`` and first start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

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


def make_revision(database_url: str, message: str, rev_id: str | None = None) -> None:
    """Developer helper: autogenerate a migration from the schema."""
    command.revision(
        alembic_config(database_url), message=message, autogenerate=True, rev_id=rev_id
    )
