"""``godwit users role|approve|suspend|unsuspend`` and ``godwit audit-log``: the operator's
moderation at the shell, audit-logged like any other."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import update

from godwit.config import Settings
from godwit.storage.schema import users
from tests.commands.test_users_cli import cli_env, run  # noqa: F401  (fixture)


def _mark_pending(settings: Settings, username: str) -> None:
    from godwit.app import Components
    from godwit.storage.schema import accounts

    async def change() -> None:
        components = Components(settings)
        try:
            async with components.database.write() as conn:
                owner = accounts.select().where(accounts.c.username_key == username)
                account_id = (await conn.execute(owner)).one().id
                await conn.execute(
                    update(users).where(users.c.account_id == account_id).values(approved=False)
                )
        finally:
            await components.stop()

    asyncio.run(change())


def test_role_changes_and_suspensions_are_in_the_audit_log(
    cli_env: Settings,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["user", "create", "kestrel", "k@example.org"]) == 0
    assert run(["users", "role", "kestrel", "moderator", "--reason", "trusted"]) == 0
    assert "kestrel is now moderator" in capsys.readouterr().out
    assert run(["user", "suspend", "kestrel", "--reason", "compromised"]) == 0
    assert run(["user", "unsuspend", "kestrel"]) == 0
    assert run(["user", "unsuspend", "kestrel"]) == 1
    assert "not suspended" in capsys.readouterr().err

    assert run(["audit-log"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split("  ")[1:3] for line in lines] == [
        ["operator (command line)", "account.unsuspend"],
        ["operator (command line)", "account.suspend"],
        ["operator (command line)", "account.role"],
    ]
    assert lines[1].endswith("@kestrel — compromised")
    assert run(["audit-log", "--action", "account.role", "--account", "kestrel"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1
    assert run(["audit-log", "--action", "nonsense"]) == 1


def test_pending_sign_ups_are_approved_or_rejected(
    cli_env: Settings,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["user", "create", "waiting", "w@example.org"]) == 0
    assert run(["user", "create", "spammy", "s@example.org"]) == 0
    _mark_pending(cli_env, "waiting")
    _mark_pending(cli_env, "spammy")
    capsys.readouterr()
    assert run(["user", "list"]) == 0
    assert capsys.readouterr().out.count("pending") == 2
    assert run(["user", "approve", "waiting"]) == 0
    assert run(["user", "reject", "spammy", "--reason", "spam"]) == 0
    assert run(["user", "approve", "waiting"]) == 1
    capsys.readouterr()
    assert run(["user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "waiting" in listing
    assert "active" in listing
    assert "spammy" not in listing
