"""Row counts of every table in a live server's database: proof that a request wrote nothing."""

from __future__ import annotations

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine, make_url

from godwit.storage.schema import metadata


def sync_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    if url.drivername.startswith("postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return create_engine(url)


def row_counts(database_url: str) -> dict[str, int]:
    engine = sync_engine(database_url)
    try:
        with engine.connect() as conn:
            return {
                table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for table in metadata.sorted_tables
            }
    finally:
        engine.dispose()
