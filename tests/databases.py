"""Fresh, migrated databases for tests: SQLite by default, PostgreSQL when asked.

Set ``GODWIT_TEST_DATABASE_URL=postgresql://…`` to run the suite on PostgreSQL (CI does).
When it is set, an unreachable server fails the tests: it never skips them.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from godwit.storage.migrate import upgrade

POSTGRES_URL = os.environ.get("GODWIT_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("GODWIT_TEST_REDIS_URL", "")


def on_postgres() -> bool:
    return POSTGRES_URL.startswith("postgres")


class DatabaseFactory:
    """Migrates one template per test session, then clones it for each test."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._template: str | None = None
        self._created: list[str] = []

    def new_url(self) -> str:
        return self._new_postgres() if on_postgres() else self._new_sqlite()

    def _new_sqlite(self) -> str:
        template = self.workdir / "template.sqlite3"
        if self._template is None:
            upgrade(f"sqlite:///{template}")
            self._template = str(template)
        target = self.workdir / f"db-{secrets.token_hex(6)}.sqlite3"
        shutil.copyfile(template, target)
        return f"sqlite:///{target}"

    def _admin_engine(self):  # type: ignore[no-untyped-def]
        url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
        return create_engine(url, isolation_level="AUTOCOMMIT")

    def _new_postgres(self) -> str:
        base = make_url(POSTGRES_URL)
        engine = self._admin_engine()
        try:
            with engine.connect() as conn:
                if self._template is None:
                    name = f"godwit_tpl_{secrets.token_hex(4)}"
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                    self._created.append(name)
                    upgrade(base.set(database=name).render_as_string(hide_password=False))
                    self._template = name
                name = f"godwit_t_{secrets.token_hex(6)}"
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"'))
                self._created.append(name)
        finally:
            engine.dispose()
        return base.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        if not on_postgres():
            Path(make_url(url).database or "").unlink(missing_ok=True)
            return
        name = make_url(url).database
        engine = self._admin_engine()
        try:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            engine.dispose()
        if name in self._created:
            self._created.remove(name)

    def close(self) -> None:
        if not on_postgres():
            return
        engine = self._admin_engine()
        try:
            with engine.connect() as conn:
                for name in reversed(self._created):
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            engine.dispose()
