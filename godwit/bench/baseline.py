"""The machine's practical limit, measured in the same run: a bare ASGI app on the same
server stack as Godwit (uvicorn with its defaults, as ``godwit serve`` runs it, and
Starlette + orjson for the page).

* ``GET /hello``: a raw ASGI hello-world, no framework;
* ``GET /page``: a Starlette endpoint that reads 20 rows from an indexed SQLite table and
  answers them as 20 Mastodon-shaped statuses with orjson (about 17 KB), the "bare 20-row
  page" of spec §4. No auth, no cache, no ORM: what any home timeline costs at the least.

``godwit bench baseline-server`` runs it; ``godwit bench run`` starts it by itself.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
from pathlib import Path
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

DB_ENV = "GODWIT_BENCH_BASELINE_DB"
ACCOUNTS = 100
STATUSES_PER_ACCOUNT = 40
PAGE_ROWS = 20
HELLO = b"Hello, world!"


def create_database(path: Path, seed: int = 1) -> None:
    """A fresh file of ACCOUNTS x STATUSES_PER_ACCOUNT ~280-byte statuses."""
    path.unlink(missing_ok=True)
    rng = random.Random(seed)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(
            "CREATE TABLE statuses (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,"
            " username TEXT NOT NULL, content TEXT NOT NULL, created_at TEXT NOT NULL,"
            " replies INTEGER NOT NULL, reblogs INTEGER NOT NULL, favourites INTEGER NOT NULL)"
        )
        connection.execute("CREATE INDEX statuses_by_account ON statuses (account_id, id)")
        start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        rows = []
        for number in range(ACCOUNTS * STATUSES_PER_ACCOUNT):
            words = " ".join(
                "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9)))
                for _ in range(40)
            )
            rows.append(
                (
                    number + 1,
                    number % ACCOUNTS,
                    f"member{number % ACCOUNTS}",
                    f"<p>{words[:270]}</p>",
                    (start + dt.timedelta(minutes=number)).isoformat(),
                    rng.randint(0, 9),
                    rng.randint(0, 9),
                    rng.randint(0, 30),
                )
            )
        connection.executemany("INSERT INTO statuses VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        connection.commit()
    finally:
        connection.close()


class _Rows:
    """One read-only connection per server process, opened on first use."""

    def __init__(self) -> None:
        self.connection: sqlite3.Connection | None = None
        self.rng = random.Random()

    def page(self) -> list[tuple[Any, ...]]:
        if self.connection is None:
            self.connection = sqlite3.connect(os.environ[DB_ENV], check_same_thread=False)
        cursor = self.connection.execute(
            "SELECT id, account_id, username, content, created_at, replies, reblogs, favourites"
            " FROM statuses WHERE account_id = ? ORDER BY id DESC LIMIT ?",
            (self.rng.randrange(ACCOUNTS), PAGE_ROWS),
        )
        return cursor.fetchall()


_rows = _Rows()


def _status(row: tuple[Any, ...]) -> dict[str, Any]:
    status_id, account_id, username, content, created_at, replies, reblogs, favourites = row
    base = "https://baseline.invalid"
    return {
        "id": str(status_id),
        "created_at": created_at,
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": f"{base}/users/{username}/statuses/{status_id}",
        "url": f"{base}/@{username}/{status_id}",
        "replies_count": replies,
        "reblogs_count": reblogs,
        "favourites_count": favourites,
        "content": content,
        "reblog": None,
        "account": {
            "id": str(account_id + 1),
            "username": username,
            "acct": username,
            "display_name": username.title(),
            "locked": False,
            "bot": False,
            "created_at": "2025-12-01T00:00:00.000Z",
            "note": "<p>A baseline member.</p>",
            "url": f"{base}/@{username}",
            "avatar": f"{base}/avatars/original/missing.png",
            "header": f"{base}/headers/original/missing.png",
            "followers_count": 10,
            "following_count": 10,
            "statuses_count": STATUSES_PER_ACCOUNT,
            "emojis": [],
            "fields": [],
        },
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
        "card": None,
        "poll": None,
    }


async def page(_request: Request) -> Response:
    body = orjson.dumps([_status(row) for row in _rows.page()])
    return Response(body, media_type="application/json")


_framework = Starlette(routes=[Route("/page", page)])


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """``/hello`` answered as bare ASGI; everything else goes to the Starlette app."""
    if scope["type"] == "http" and scope["path"] == "/hello":
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/plain"),
                    (b"content-length", str(len(HELLO)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": HELLO})
        return
    await _framework(scope, receive, send)
