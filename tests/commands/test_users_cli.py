"""``godwit user create|list|set-role`` against the test database."""

from __future__ import annotations

import asyncio
import io

import pytest

from godwit.cli import main
from godwit.config import Settings
from godwit.services.accounts import AccountService


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("GODWIT_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("GODWIT_MEDIA_DIR", settings.media_dir)
    monkeypatch.setenv("GODWIT_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("GODWIT_DOMAIN", settings.domain)
    monkeypatch.setenv("GODWIT_SCHEME", settings.scheme)
    return settings


def run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    code = exited.value.code
    return code if isinstance(code, int) else 1


def login(settings: Settings, login_name: str, password: str) -> bool:
    from godwit.app import Components

    async def check() -> bool:
        components = Components(settings)
        try:
            service: AccountService = components.services.accounts
            return await service.authenticate_password(login_name, password) is not None
        finally:
            await components.stop()

    return asyncio.run(check())


def test_create_with_password_on_stdin_then_list_and_set_role(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert (
        run(
            [
                "user",
                "create",
                "Kestrel",
                "kestrel@example.org",
                "--role",
                "admin",
                "--password-stdin",
            ]
        )
        == 0
    )
    assert "created Kestrel <kestrel@example.org> with role admin" in capsys.readouterr().out
    assert login(cli_env, "kestrel", "a long enough password")

    assert run(["user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Kestrel" in listing
    assert "kestrel@example.org" in listing
    assert "admin" in listing

    assert run(["user", "set-role", "kestrel", "moderator"]) == 0
    assert "kestrel is now moderator" in capsys.readouterr().out
    assert run(["user", "list"]) == 0
    assert "moderator" in capsys.readouterr().out


def test_create_without_a_terminal_generates_and_prints_a_password(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run(["user", "create", "scripted", "s@example.org"]) == 0
    out = capsys.readouterr().out
    password = out.split("password: ", 1)[1].strip()
    assert len(password) >= 20
    assert login(cli_env, "scripted", password)


def test_errors_are_reported_without_a_traceback(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert run(["user", "create", "root", "bad", "--password-stdin"]) == 1
    err = capsys.readouterr().err
    assert "Username is reserved" in err
    assert "Email is invalid" in err
    assert run(["user", "set-role", "nobody", "admin"]) == 1
    assert "No local user named nobody" in capsys.readouterr().err


def test_list_shows_every_user_a_page_at_a_time(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from godwit.app import Components
    from godwit.commands import users
    from tests.factories import make_member

    async def make(names: list[str]) -> None:
        components = Components(cli_env)
        try:
            for name in names:
                await make_member(components, name)
        finally:
            await components.stop()

    names = [f"member{n}" for n in range(5)]
    asyncio.run(make(names))
    monkeypatch.setattr(users, "LIST_PAGE", 2)  # five users: pages of 2, 2 and 1
    assert run(["user", "list"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert sorted(row.split()[0] for row in rows) == names  # each once, none missing
