"""The ``godwit`` command: serve, worker, migrate, user, demo, bench, moderation,
config-docs."""

from __future__ import annotations

import argparse
import logging
import sys

from godwit.commands import audit_log, bench, demo, docs, moderation, server, users, worker
from godwit.config import Settings

COMMAND_MODULES = [server, docs, users, audit_log, worker, demo, bench, moderation]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="godwit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
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
