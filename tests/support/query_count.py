"""Count the SQL statements a block of code runs: the N+1 guards' helper (tests only).

It listens to SQLAlchemy's ``before_cursor_execute`` on the ``Engine`` class, so it sees
every engine of the process (the store's read and write engines alike). Keep anything
else that queries (a job runner's polling) stopped while counting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """The statements run inside the block, in order (their SQL text)."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def shapes(statements: list[str]) -> list[str]:
    """Each statement's first words, for a readable assertion message."""
    return [" ".join(statement.split())[:100] for statement in statements]
