"""Migration 0002 (full-text search) goes down and up again on either database."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from godwit.storage.migrate import alembic_config, upgrade


def _tables(database_url: str) -> set[str]:
    url = make_url(database_url)
    if url.drivername.startswith("postgres"):
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_downgrade_drops_the_index_and_upgrade_restores_it(database_url: str) -> None:
    assert "status_search" in _tables(database_url)
    command.downgrade(alembic_config(database_url), "0001")
    remaining = _tables(database_url)
    assert "statuses" in remaining
    assert not {name for name in remaining if name.startswith("status_search")}
    upgrade(database_url)
    assert "status_search" in _tables(database_url)
