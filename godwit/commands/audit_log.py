"""``godwit audit-log``: read the moderation audit log from the shell (newest first)."""

from __future__ import annotations

import argparse
from typing import Any

from godwit.commands.users import _run
from godwit.config import Settings
from godwit.domain.audit import AuditQuery
from godwit.domain.pagination import PageRequest
from godwit.domain.roles import OPERATOR
from godwit.services.container import Services

MAX_LIMIT = 1000


def show(settings: Settings, args: argparse.Namespace) -> int:
    async def action(services: Services) -> int:
        target_id = None
        if args.account:
            target_id = (await services.accounts.lookup(args.account)).id
        entries = await services.audit.listing(
            OPERATOR,
            AuditQuery(target_account_id=target_id, action=args.action),
            PageRequest(limit=max(1, min(args.limit, MAX_LIMIT))),
        )
        for entry in entries:
            when = entry.created_at.strftime("%Y-%m-%d %H:%M:%S")
            reason = f" — {entry.reason}" if entry.reason else ""
            print(f"{when}  {entry.actor_name}  {entry.action}  {entry.target_name}{reason}")
        return 0

    return _run(settings, action)


def register(sub: Any) -> None:
    parser = sub.add_parser("audit-log", help="show moderator and admin actions, newest first")
    parser.add_argument("--account", help="only actions about this local username")
    parser.add_argument("--action", help="only this action (or a prefix such as account.)")
    parser.add_argument("--limit", type=int, default=50)
    parser.set_defaults(handler=show)
