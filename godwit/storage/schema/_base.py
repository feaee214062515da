"""The shared metadata, column types and column helpers of every table.

Designed for the whole mission: accounts and statuses carry canonical URIs and a domain
(empty for local), accounts carry an RSA key pair, statuses know whether they are local,
so federation and migration arrive without a rewrite. IDs are application-made 64-bit
snowflakes (see godwit.domain.ids), never database sequences.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    MetaData,
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
