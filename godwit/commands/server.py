"""``godwit serve`` and ``godwit migrate``."""

from __future__ import annotations

import argparse
from typing import Any

from godwit.config import Settings


def serve(settings: Settings, _args: argparse.Namespace) -> int:
    import uvicorn

    from godwit.app import build_app
    from godwit.storage.migrate import upgrade

    upgrade(settings.database_url)
    uvicorn.run(
        build_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        proxy_headers=settings.trusted_proxy_count > 0,
    )
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
