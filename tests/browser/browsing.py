"""Driving Debian's Chromium with Playwright, and what every browser test watches for.

Playwright never downloads a browser here (``playwright install`` is not allowed and fails
offline): it drives ``/usr/bin/chromium`` from Debian's ``chromium`` package, which .ci/run
installs. Without Chromium, Playwright or npm the browser tests skip with the reason, unless
``GODWIT_TEST_REQUIRE_BROWSER=1`` (CI), which makes a missing piece a failure.

Every page a test opens is watched: a JavaScript dialog (what an XSS payload would open), a
Content-Security-Policy violation in the console, an uncaught script error, any request to
another origin than the server's, and any stylesheet, script or image that failed to load are
recorded, so a test can assert none happened.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page

    from tests.browser.community import Member

# Debian's package; GODWIT_TEST_CHROMIUM points elsewhere (another distribution's build).
CHROMIUM = os.environ.get("GODWIT_TEST_CHROMIUM") or "/usr/bin/chromium"
# Chromium's own background traffic (updates, sync, QUIC probes) has nowhere to go on this
# closed network and only slows the start; --no-sandbox because tests run as root in CI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE_ENV = "GODWIT_TEST_REQUIRE_BROWSER"
SCREENSHOT_ENV = "GODWIT_SCREENSHOT_DIR"
DEFAULT_SCREENSHOT_DIR = Path(__file__).resolve().parent / "screenshots"
# Long enough for a loaded 2-core CI machine, short enough that a missing element fails fast.
ACTION_TIMEOUT_MS = 15_000
EXPECT_TIMEOUT_MS = 10_000

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}

SUBRESOURCE_TYPES = frozenset({"stylesheet", "script", "image", "font", "media"})
_CSP_MESSAGE = re.compile(r"Content Security Policy|Content-Security-Policy", re.IGNORECASE)


def expect(target: Any) -> Any:
    """Playwright's ``expect``, imported when used: test modules load without Playwright
    (and then skip) instead of failing to be collected."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def browser_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason``; in CI (``GODWIT_TEST_REQUIRE_BROWSER=1``) fail instead."""
    if browser_required():
        pytest.fail(f"{reason}, but {REQUIRE_ENV}=1 (CI): the browser tests must run")
    pytest.skip(f"{reason}; browser tests skipped ({REQUIRE_ENV}=1 makes this a failure)")


def check_requirements() -> None:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -e '.[test]')")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    if missing:
        skip_or_fail("browser tests need " + " and ".join(missing))


def screenshot_dir() -> Path:
    directory = Path(os.environ.get(SCREENSHOT_ENV) or DEFAULT_SCREENSHOT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def npm_available() -> bool:
    return shutil.which("npm") is not None


@dataclass
class PageLog:
    """What happened on one page that a test may want to assert never happened."""

    origin: str
    dialogs: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    broken_resources: list[str] = field(default_factory=list)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(self, message: ConsoleMessage) -> None:
        if _CSP_MESSAGE.search(message.text):
            self.csp_violations.append(message.text)

    def on_page_error(self, error: Exception) -> None:
        self.script_errors.append(str(error))

    def on_request(self, url: str) -> None:
        scheme = urlsplit(url).scheme
        if scheme in ("data", "blob", "about"):
            return
        if _origin(url) != self.origin:
            self.foreign_requests.append(url)

    def on_response(self, status: int, url: str, resource_type: str) -> None:
        if status >= 400 and resource_type in SUBRESOURCE_TYPES:
            self.broken_resources.append(f"{status} {url}")

    def problems(self, where: str) -> list[str]:
        """Dialogs, CSP violations, script errors, requests to other origins, broken
        stylesheets, scripts or images: each kind that happened, as one line."""
        kinds = {
            "dialogs opened": self.dialogs,
            "CSP violations": self.csp_violations,
            "script errors": self.script_errors,
            "requests to other origins": self.foreign_requests,
            "stylesheets, scripts or images that failed": self.broken_resources,
        }
        return [f"{where}: {what}: {items}" for what, items in kinds.items() if items]

    def assert_clean(self, where: str) -> None:
        found = self.problems(where)
        assert not found, "\n".join(found)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Browsing:
    """Opens watched pages (each in its own browser context, so its own cookies) for a test
    and closes them after it; saves screenshots."""

    def __init__(
        self, browser: Browser, base_url: str, sessions: dict[str, Any] | None = None
    ) -> None:
        self.browser = browser
        self.base_url = base_url
        self.origin = _origin(base_url)
        # Signed-in cookies per member, kept for the module: signing in once is enough.
        self._sessions = sessions if sessions is not None else {}
        self._contexts: list[BrowserContext] = []
        self._logs: dict[int, PageLog] = {}

    def page(
        self,
        *,
        phone: bool = False,
        member: Member | None = None,
        init_script: str | None = None,
        bypass_csp: bool = False,
    ) -> Page:
        """A fresh page: desktop (1280x800) or phone (390x844), of a visitor or signed in as
        ``member`` (through the form the first time, with the same cookies after that).
        ``init_script`` runs in every document before the page's own (axe-core);
        ``bypass_csp`` only to prove that escaping alone keeps a payload inert."""
        if member is not None and member.username not in self._sessions:
            first = self.page()
            sign_in(first, member)
            self._sessions[member.username] = first.context.storage_state()
        context = self.browser.new_context(
            base_url=self.base_url,
            bypass_csp=bypass_csp,
            locale="en-GB",
            timezone_id="Europe/Amsterdam",
            storage_state=self._sessions[member.username] if member else None,
            **(PHONE if phone else DESKTOP),
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        if init_script is not None:
            context.add_init_script(script=init_script)
        self._contexts.append(context)
        page = context.new_page()
        log = PageLog(self.origin)
        page.on("dialog", log.on_dialog)
        page.on("console", log.on_console)
        page.on("pageerror", log.on_page_error)
        page.on("request", lambda request: log.on_request(request.url))
        page.on(
            "response",
            lambda response: log.on_response(
                response.status, response.url, response.request.resource_type
            ),
        )
        self._logs[id(page)] = log
        return page

    def log(self, page: Page) -> PageLog:
        return self._logs[id(page)]

    def open_pages(self) -> list[Page]:
        return [page for context in self._contexts for page in context.pages]

    def close(self) -> None:
        for context in self._contexts:
            context.close()
        self._contexts.clear()


def sign_in(page: Page, member: Member) -> None:
    """Sign in through the form, as a person does; lands on the home timeline."""
    page.goto("/auth/sign_in")
    page.get_by_label("Email address or username").fill(member.username)
    page.get_by_label("Password", exact=True).fill(member.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/home(\?|$)"))


def save_screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """``<name>.png`` in the screenshot folder (``GODWIT_SCREENSHOT_DIR`` or
    tests/browser/screenshots)."""
    path = screenshot_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path
