"""Fixtures for the browser tests: one live server for the whole browser suite, seeded with
a demo community so pages look lived-in, and Playwright driving Debian's Chromium.

- ``server``: a real ``godwit serve`` on loopback, one for this folder (starting it and
  seeding it with ``godwit demo`` costs seconds), its log attached to a failing test's report.
- ``community``: makes members with known passwords, acts through the API; ``moderator``.
- ``chromium``: the browser, one for this folder. Playwright's sync API marks its own event
  loop as running while it is alive, which would break the async tests that run after this
  folder, so it is package-scoped: it closes before the next folder's tests start.
- ``browsing``: watched pages for one test (desktop or phone); a failing test's open pages are
  saved as ``FAILED-<test>-<n>.png`` in the screenshot folder.
- ``axe``: axe-core from the npm registry (tests/browser/accessibility.py).

Without Chromium, Playwright or npm, the tests skip with the reason, unless
``GODWIT_TEST_REQUIRE_BROWSER=1`` (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.accessibility import Axe, install_axe
from tests.browser.browsing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EXPECT_TIMEOUT_MS,
    Browsing,
    check_requirements,
    screenshot_dir,
)
from tests.browser.community import Community, Member
from tests.databases import DatabaseFactory
from tests.support.live_server import LiveServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# A small, fixed community: enough to fill timelines and profiles, quick to write (~2 s).
DEMO_ARGUMENTS = ("--members", "16", "--posts", "160", "--seed", "2021")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.failed and "tests/browser/" in item.nodeid:
        funcargs = getattr(item, "funcargs", {})
        server = funcargs.get("server")
        if isinstance(server, LiveServer):
            report.sections.append((f"godwit server log ({server.base_url})", server.log_tail()))
        browsing = funcargs.get("browsing")
        if isinstance(browsing, Browsing):
            saved = _save_failure_screens(browsing, item.name)
            if saved:
                report.sections.append(("browser screenshots at failure", "\n".join(saved)))
    return report


def _save_failure_screens(browsing: Browsing, test_name: str) -> list[str]:
    saved = []
    for index, page in enumerate(browsing.open_pages()):
        path = screenshot_dir() / f"FAILED-{test_name}-{index}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as error:  # a crashed page must not hide the test's own failure
            saved.append(f"{page.url}: no screenshot ({error})")
            continue
        saved.append(f"{page.url}: {path}")
    return saved


@pytest.fixture(scope="session")
def browser_requirements() -> None:
    """Checked before anything starts, so a machine without Chromium skips at once."""
    check_requirements()
    for stale in screenshot_dir().glob("FAILED-*.png"):
        stale.unlink()  # only this run's failures are shown


@pytest.fixture(scope="package")
def server(
    browser_requirements: None,
    database_factory: DatabaseFactory,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    database_url = database_factory.new_url()
    live = LiveServer(tmp_path_factory.mktemp("browser-server"), database_url)
    seeded = subprocess.run(
        [sys.executable, "-m", "godwit", "demo", *DEMO_ARGUMENTS],
        env=live.environment(),
        cwd=live.workdir,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert seeded.returncode == 0, f"godwit demo failed:\n{seeded.stdout}\n{seeded.stderr}"
    try:
        live.start()
        yield live
    finally:
        live.stop()
        database_factory.drop(database_url)


@pytest.fixture(scope="package")
def community(server: LiveServer) -> Iterator[Community]:
    people = Community(server)
    yield people
    people.close()


@pytest.fixture(scope="package")
def moderator(community: Community) -> Member:
    """The server's moderator, promoted by the operator's command."""
    return community.staff("mod_maria", display_name="Maria (moderator)", unique=False)


@pytest.fixture(scope="package")
def chromium(browser_requirements: None, server: LiveServer) -> Iterator[Browser]:
    # After the server (and its database, whose migrations use asyncio.run) is ready, and
    # closed before it: while Playwright's sync API is alive, no asyncio.run() can work.
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="package")
def signed_in_sessions(chromium: Browser) -> dict[str, Any]:
    """Each member's cookies after signing in once, shared by the folder's tests."""
    return {}


@pytest.fixture
def browsing(
    chromium: Browser, server: LiveServer, signed_in_sessions: dict[str, Any]
) -> Iterator[Browsing]:
    opened = Browsing(chromium, server.base_url, signed_in_sessions)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def axe(browser_requirements: None) -> Axe:
    return Axe(install_axe())
