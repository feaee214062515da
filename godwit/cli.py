"""The ``godwit`` command: serve, worker, migrate, user, demo."""

from __future__ import annotations

import argparse
import logging
import sys

from godwit.config import Settings


def _serve(settings: Settings, _args: argparse.Namespace) -> int:
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


def _migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from godwit.storage.migrate import upgrade

    upgrade(settings.database_url)
    print("database is up to date")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="godwit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the web server (applies migrations first)")
    serve.set_defaults(handler=_serve)
    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(handler=_migrate)
    return parser


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as error:
        print(f"godwit: {error}", file=sys.stderr)
        raise SystemExit(2) from error
    raise SystemExit(args.handler(settings, args))
