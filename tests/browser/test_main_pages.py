"""The main pages in a real browser: screenshots at desktop and phone width, the
Content-Security-Policy enforced (no violation, nothing fetched from another origin), no
horizontal scrolling on a phone, and no serious or critical accessibility problem (axe-core,
run in the page under its real CSP) in the light or the dark theme.

Screenshots go to ``GODWIT_SCREENSHOT_DIR`` (default tests/browser/screenshots, ignored by
git) as ``<page>-desktop.png`` and ``<page>-phone.png``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import Axe, describe
from tests.browser.browsing import Browsing, expect, save_screenshot
from tests.browser.community import Community, Member
from tests.browser.scene import Scene, build_scene

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response


@dataclass(frozen=True)
class MainPage:
    name: str
    who: str  # "visitor" or a member of the scene
    path: Callable[[Scene], str]
    # After loading ``path``: follow a link to the page (returns that navigation).
    then: Callable[[Page, Scene], Response | None] | None = None

    def open(self, page: Page, scene: Scene) -> Response:
        response = page.goto(self.path(scene))
        if self.then is not None:
            response = self.then(page, scene)
        assert response is not None
        assert response.status == 200, f"{self.name}: {response.status} at {response.url}"
        return response


def _open_troll_report(page: Page, scene: Scene) -> Response | None:
    row = page.get_by_role("row").filter(has_text=f"@{scene.troll.username}")
    with page.expect_navigation() as navigation:
        row.get_by_role("link", name=re.compile(r"#\d+")).click()
    return navigation.value


MAIN_PAGES = [
    MainPage("start", "visitor", lambda s: "/"),
    MainPage("sign-in", "visitor", lambda s: "/auth/sign_in"),
    MainPage("sign-up", "visitor", lambda s: "/auth/sign_up"),
    MainPage("about", "visitor", lambda s: "/about"),
    MainPage("public-profile", "visitor", lambda s: s.robin.profile_path),
    MainPage("home", "robin", lambda s: "/home"),
    MainPage("local", "robin", lambda s: "/public/local"),
    MainPage("profile", "finch", lambda s: s.robin.profile_path),
    MainPage("thread", "finch", lambda s: s.thread_path),
    MainPage("notifications", "robin", lambda s: "/notifications"),
    MainPage("search", "robin", lambda s: f"/search?q={s.search_term}"),
    MainPage("tag", "robin", lambda s: f"/tags/{s.tag}"),
    MainPage("settings", "robin", lambda s: "/settings/profile"),
    MainPage("admin-reports", "moderator", lambda s: "/admin/reports"),
    MainPage("admin-report", "moderator", lambda s: "/admin/reports", _open_troll_report),
    MainPage("audit-log", "moderator", lambda s: "/admin/audit-log"),
]


@pytest.fixture(scope="module")
def scene(community: Community, moderator: Member) -> Scene:
    return build_scene(community, moderator)


def _member(scene: Scene, who: str) -> Member | None:
    return None if who == "visitor" else getattr(scene, who)


def policy_problems(response: Response, where: str) -> list[str]:
    """The Content-Security-Policy header: nothing by default, and no inline or eval'd
    script or style anywhere."""
    policy = response.headers.get("content-security-policy", "")
    directives = {
        part.split()[0]: set(part.split()[1:]) for part in policy.split(";") if part.strip()
    }
    problems = []
    if directives.get("default-src") != {"'none'"}:
        problems.append(f"{where}: default-src is not 'none': {policy!r}")
    for directive in ("script-src", "style-src"):
        sources = directives.get(directive, set())
        if not sources or {"'unsafe-inline'", "'unsafe-eval'", "*"} & sources:
            problems.append(f"{where}: {directive} is missing or unsafe: {policy!r}")
    return problems


def sideways_problems(page: Page, where: str) -> list[str]:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    return [f"{where}: the page scrolls sideways by {overflow}px"] if overflow > 0 else []


def accessibility_problems(page: Page, axe: Axe, where: str, schemes: tuple[str, ...]) -> list[str]:
    problems = []
    for scheme in schemes:
        page.emulate_media(color_scheme=scheme)
        found = axe.violations(page)
        if found:
            problems.append(describe(f"{where} ({scheme} theme)", found))
    return problems


@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=lambda main_page: main_page.name)
def test_main_page(main_page: MainPage, scene: Scene, browsing: Browsing, axe: Axe) -> None:
    """At desktop and phone width: a screenshot; a strict CSP, enforced (no violation, no
    request elsewhere, no broken asset); no sideways scrolling on the phone; no serious or
    critical accessibility problem, in the light and dark themes. Every problem is listed."""
    problems = []
    for width in ("desktop", "phone"):
        where = f"{main_page.name} at {width} width"
        page = browsing.page(
            phone=width == "phone", member=_member(scene, main_page.who), init_script=axe.source
        )
        response = main_page.open(page, scene)
        expect(page.get_by_role("main")).to_be_visible()
        save_screenshot(page, f"{main_page.name}-{width}")
        problems += policy_problems(response, where)
        if width == "phone":
            problems += sideways_problems(page, where)
        # Colours differ by theme; the layout by width (one theme is enough for that).
        schemes = ("light", "dark") if width == "desktop" else ("light",)
        problems += accessibility_problems(page, axe, where, schemes)
        problems += browsing.log(page).problems(where)
    assert not problems, "\n\n".join(problems)


def test_the_checker_finds_a_known_problem(browsing: Browsing, axe: Axe) -> None:
    """The accessibility check can fail: an unlabelled field is a critical problem."""
    page = browsing.page(init_script=axe.source)
    page.set_content(
        '<!DOCTYPE html><html lang="en"><title>t</title><main><h1>Form</h1>'
        '<form><input type="text" name="q"></form></main></html>'
    )
    assert "label" in {violation["id"] for violation in axe.violations(page)}


def test_keyboard_reaches_the_content_first(scene: Scene, browsing: Browsing) -> None:
    """The first Tab shows the skip link; following it puts the focus on the content."""
    page = browsing.page(member=scene.robin)
    page.goto("/home")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


def test_the_policy_stops_an_injected_script(scene: Scene, browsing: Browsing) -> None:
    """Enforced, not just sent: a script added to the page at run time does not run, and
    the browser reports the violation."""
    page = browsing.page(member=scene.robin)
    page.goto("/home")
    outcome = page.evaluate(
        """() => new Promise((resolve) => {
            const finish = (directive) => resolve({
                ran: window.godwitInjectedRan === true, directive: directive,
            });
            document.addEventListener(
                "securitypolicyviolation", (event) => finish(event.effectiveDirective),
                { once: true },
            );
            const script = document.createElement("script");
            script.textContent = "window.godwitInjectedRan = true";
            document.body.append(script);
            setTimeout(() => finish(null), 3000);
        })"""
    )
    assert outcome == {"ran": False, "directive": "script-src-elem"}, outcome
