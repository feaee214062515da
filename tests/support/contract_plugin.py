"""pytest plugin: every test's responses obey the contract, and a report of what was checked.

- After each test, any contract violation recorded while it ran (even one a client library
  swallowed) fails that test.
- At the end of the session the terminal summary lists the implemented operations (the app's
  route table) that are in the Mastodon contract and whether a 2xx response of each was
  validated. With ``GODWIT_TEST_REQUIRE_CONTRACT_COVERAGE=1`` (set by .ci/run, which runs
  the whole suite) an implemented operation that was never validated fails the session.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import openapi


def require_contract() -> openapi.Contract:
    """The loaded contract; skips (or fails, in CI) when ../shared is missing."""
    loaded = openapi.load_contract()
    if loaded is None:
        if openapi.require_shared():
            pytest.fail(openapi.unavailable_reason())
        pytest.skip(openapi.unavailable_reason())
    return loaded


@pytest.fixture
def contract() -> openapi.Contract:
    return require_contract()


@pytest.fixture(autouse=True)
def _no_contract_violations() -> Iterator[None]:
    before = len(openapi.LOG.violations)
    yield
    new = openapi.LOG.violations[before:]
    if new:
        pytest.fail("responses broke the Mastodon API contract:\n" + "\n".join(new))


def implemented_operations() -> list[tuple[str, str]]:
    """(METHOD, path template) of every route the real app serves."""
    from godwit.app import build_app
    from godwit.config import Settings

    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(
            database_url=f"sqlite:///{Path(scratch) / 'routes.sqlite3'}",
            media_dir=str(Path(scratch) / "media"),
            secret_key="route-listing",
        )
        app = build_app(settings)
        return sorted(set(openapi.iter_routes(app.routes)))


def coverage_report() -> tuple[list[str], list[str], list[str]]:
    """(validated, not validated, outside the contract) implemented operations."""
    contract = openapi.load_contract()
    assert contract is not None
    validated, missing, outside = [], [], []
    for method, path in implemented_operations():
        op = contract.find_template(method, path)
        if op is None:
            outside.append(f"{method} {path}")
        elif not contract.has_json_response(op):
            continue
        elif openapi.LOG.validated[op.key]:
            validated.append(f"{op.key} ({openapi.LOG.validated[op.key]}x)")
        else:
            missing.append(op.key)
    return validated, missing, outside


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if openapi.load_contract() is None:
        terminalreporter.write_line("OpenAPI contract: " + openapi.unavailable_reason())
        return
    try:
        validated, missing, outside = coverage_report()
    except Exception as error:  # a half-wired app must not hide the test results
        terminalreporter.write_line(f"OpenAPI contract report unavailable: {error!r}")
        return
    terminalreporter.section("Mastodon OpenAPI contract")
    terminalreporter.write_line(
        f"{len(validated)} implemented operations validated, {len(missing)} not exercised "
        f"with a 2xx, {len(outside)} outside the contract; "
        f"{len(openapi.LOG.violations)} violations"
    )
    for line in validated:
        terminalreporter.write_line(f"  validated      {line}")
    for line in missing:
        terminalreporter.write_line(f"  NOT validated  {line}")
    for line in outside:
        terminalreporter.write_line(f"  not in spec    {line}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("GODWIT_TEST_REQUIRE_CONTRACT_COVERAGE", "") != "1" or exitstatus != 0:
        return
    if openapi.load_contract() is None:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        return
    _, missing, _ = coverage_report()
    if missing:
        print("\nimplemented operations never validated against the contract:", *missing)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
