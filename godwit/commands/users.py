"""``godwit user create|list|role|approve|reject|suspend|unsuspend``: manage members from
the shell. The operator acts above every role; each change is in the audit log."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import secrets
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from godwit.config import Settings
from godwit.domain.accounts import ROLES
from godwit.domain.errors import DomainError
from godwit.domain.roles import OPERATOR
from godwit.services.container import Services

GENERATED_PASSWORD_BYTES = 18
LIST_PAGE = 1000  # users read at a time by `godwit user list`


def _run(settings: Settings, action: Callable[[Services], Awaitable[int]]) -> int:
    """Build the components, run ``action(services)``, and report domain errors plainly."""
    from godwit.app import Components
    from godwit.storage.migrate import upgrade

    upgrade(settings.database_url)  # a fresh install can create its first admin straight away

    async def main() -> int:
        components = Components(settings)
        try:
            return await action(components.services)
        except DomainError as error:
            print(f"godwit: {error.message}", file=sys.stderr)
            return 1
        finally:
            await components.stop()

    return asyncio.run(main())


def _read_password(args: argparse.Namespace) -> tuple[str, bool]:
    """(password, generated?) from stdin, an interactive prompt, or freshly generated."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Repeat password: "):
            raise SystemExit("godwit: the passwords do not match")
        return first, False
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES), True


def create(settings: Settings, args: argparse.Namespace) -> int:
    password, generated = _read_password(args)

    async def action(services: Services) -> int:
        account, user = await services.accounts.create_user(
            args.username, args.email, password, role=args.role
        )
        print(f"created {account.acct} <{user.email}> with role {user.role}")
        if generated:
            print(f"password: {password}")
        return 0

    return _run(settings, action)


def list_users(settings: Settings, _args: argparse.Namespace) -> int:
    async def action(services: Services) -> int:
        print(f"{'USERNAME':<30} {'EMAIL':<40} {'ROLE':<10} {'STATE':<9} CREATED")
        after: int | None = None
        while True:  # every user, a page at a time
            rows = await services.accounts.list_users(LIST_PAGE, after)
            for user, account in rows:
                state = "disabled" if user.disabled else ("active" if user.approved else "pending")
                created = user.created_at.strftime("%Y-%m-%d")
                print(
                    f"{account.username:<30} {user.email:<40} {user.role:<10} {state:<9} {created}"
                )
            if len(rows) < LIST_PAGE:
                return 0
            after = rows[-1][0].id

    return _run(settings, action)


def set_role(settings: Settings, args: argparse.Namespace) -> int:
    async def action(services: Services) -> int:
        changed = await services.account_moderation.set_role_by_username(
            OPERATOR, args.username, args.role, args.reason
        )
        print(f"{args.username} is now {changed.state.role}")
        return 0

    return _run(settings, action)


def _account_action(verb: str) -> Callable[[Settings, argparse.Namespace], int]:
    """approve, reject, suspend or unsuspend a local member by username, as the operator."""

    def handler(settings: Settings, args: argparse.Namespace) -> int:
        async def action(services: Services) -> int:
            account = await services.accounts.lookup(args.username)
            moderation = services.account_moderation
            if verb == "approve":
                await moderation.approve(OPERATOR, account.id, args.reason)
            elif verb == "reject":
                await moderation.reject(OPERATOR, account.id, args.reason)
            elif verb == "suspend":
                await moderation.suspend(OPERATOR, account.id, args.reason)
            else:
                await moderation.unsuspend(OPERATOR, account.id, args.reason)
            print(f"{args.username}: {verb} done")
            return 0

        return _run(settings, action)

    return handler


def register(sub: Any) -> None:
    parser = sub.add_parser("user", aliases=["users"], help="create, list and change members")
    actions = parser.add_subparsers(dest="user_command", required=True)

    create_parser = actions.add_parser("create", help="create an approved member")
    create_parser.add_argument("username")
    create_parser.add_argument("email")
    create_parser.add_argument("--role", choices=ROLES, default="member")
    create_parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )
    create_parser.set_defaults(handler=create)

    list_parser = actions.add_parser("list", help="list local members")
    list_parser.set_defaults(handler=list_users)

    role_parser = actions.add_parser("role", aliases=["set-role"], help="change a member's role")
    role_parser.add_argument("username")
    role_parser.add_argument("role", choices=ROLES)
    role_parser.add_argument("--reason", default="", help="why, for the audit log")
    role_parser.set_defaults(handler=set_role)

    for verb, text in (
        ("approve", "approve a pending sign-up"),
        ("reject", "reject (delete) a pending sign-up"),
        ("suspend", "suspend a member (reversible for 30 days; nothing is deleted)"),
        ("unsuspend", "lift a suspension within its grace period"),
    ):
        verb_parser = actions.add_parser(verb, help=text)
        verb_parser.add_argument("username")
        verb_parser.add_argument("--reason", default="", help="why, for the audit log")
        verb_parser.set_defaults(handler=_account_action(verb))
