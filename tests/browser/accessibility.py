"""axe-core, from the npm registry, run inside Chromium on the app's pages.

Nothing is copied into the repository: npm installs one pinned axe-core into a cache folder
outside the work tree (``$XDG_CACHE_HOME/godwit``, like the threat scorer's cache) the first
time. The app's Content-Security-Policy rightly refuses a script tag injected into its pages,
so axe is not injected that way: it is given to the browser context as an init script,
which Chromium evaluates through the DevTools protocol, outside the page's policy. The pages
are checked exactly as served, under their real CSP (which the checks would report).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.browser.browsing import npm_available, skip_or_fail

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Pinned: a new axe release may add rules, which must not turn CI red on its own. Bump it
# on purpose and fix what the new rules find.
AXE_VERSION = "4.14.1"
NPM_TIMEOUT_SECONDS = 300
BLOCKING_IMPACTS = ("serious", "critical")

# The result, shortened to what a person needs to find and fix each problem.
_RUN_AXE = """
async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.slice(0, 5).map((n) => ({
      target: n.target.join(" "),
      html: n.html.slice(0, 300),
      summary: (n.failureSummary || "").slice(0, 400),
    })),
    count: v.nodes.length,
  }));
}
"""


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "godwit" / f"axe-core-{AXE_VERSION}"


def install_axe() -> Path:
    """The path of ``axe.min.js``, installed with npm on first use."""
    root = cache_root()
    script = root / "node_modules" / "axe-core" / "axe.min.js"
    if script.is_file():
        return script
    if not npm_available():
        skip_or_fail("the accessibility checks need npm to fetch axe-core from the npm registry")
    # Install next to the final folder and move it in whole: an interrupted install never
    # leaves a half-written cache behind.
    staging = root.with_name(root.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    done = subprocess.run(
        [
            "npm",
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--prefix",
            str(staging),
            f"axe-core@{AXE_VERSION}",
        ],
        capture_output=True,
        text=True,
        timeout=NPM_TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode != 0 or not (staging / "node_modules/axe-core/axe.min.js").is_file():
        skip_or_fail(f"npm could not install axe-core@{AXE_VERSION}: {done.stderr[-2000:]}")
    shutil.rmtree(root, ignore_errors=True)
    staging.rename(root)
    return script


class Axe:
    def __init__(self, script: Path) -> None:
        self.source = script.read_text(encoding="utf-8")

    def violations(self, page: Page) -> list[dict[str, Any]]:
        """Every violation of impact serious or critical on the page as it is now. The
        page's context must have ``source`` as an init script (``Browsing.page(axe=...)``)."""
        assert page.evaluate("() => typeof window.axe !== 'undefined'"), "axe-core not loaded"
        found: list[dict[str, Any]] = page.evaluate(_RUN_AXE)
        return [v for v in found if v["impact"] in BLOCKING_IMPACTS]


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{where}: {len(violations)} serious or critical accessibility problem(s)"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['count']} element(s); {violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html']}")
            if node["summary"]:
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)
