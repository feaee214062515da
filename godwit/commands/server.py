"""``godwit serve`` and ``godwit migrate``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from godwit.config import Settings


def serve_problem(settings: Settings) -> str | None:
    """Why `godwit serve` must not start with these settings, or None."""
    if settings.web_concurrency > 1 and not settings.redis_url:
        return (
            f"GODWIT_WEB_CONCURRENCY={settings.web_concurrency} needs GODWIT_REDIS_URL: "
            "without Redis, streaming events, job wake-ups and rate limits stay inside one "
            "process. Set GODWIT_REDIS_URL, or run one process (GODWIT_WEB_CONCURRENCY=1)."
        )
    return None


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """What `godwit serve` hands uvicorn besides the app."""
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": "info",  # start-up, shutdown, warnings and errors
        "access_log": settings.access_log,
        "proxy_headers": settings.trusted_proxy_count > 0,
        "workers": settings.web_concurrency,
    }


def serve(settings: Settings, _args: argparse.Namespace) -> int:
    import uvicorn

    from godwit.app import build_app
    from godwit.config import load_secret_key
    from godwit.heap import freeze_startup_heap
    from godwit.storage.migrate import upgrade

    problem = serve_problem(settings)
    if problem is not None:
        print(f"godwit serve: {problem}", file=sys.stderr)
        return 2
    upgrade(settings.database_url)
    options = uvicorn_options(settings)
    if settings.web_concurrency == 1:
        uvicorn.run(build_app(settings, on_started=freeze_startup_heap), **options)
        return 0
    # Several processes: each builds its own app from the same environment. The secret key
    # is made (or read) here once, so the workers do not race to generate different ones.
    load_secret_key(settings)
    uvicorn.run("godwit.app:build_app_from_env", factory=True, **options)
    return 0


def migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from godwit.storage.migrate import upgrade

    upgrade(settings.database_url)
    print("database is up to date")
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser("serve", help="run the web server (applies migrations first)")
    parser.set_defaults(handler=serve)
    parser = sub.add_parser("migrate", help="apply database migrations")
    parser.set_defaults(handler=migrate)
