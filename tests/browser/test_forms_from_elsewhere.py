"""Cross-site request forgery: forms posted from another origin are refused (403).

A second HTTP server on loopback plays the attacker's site. Its page holds forms that post to
the Godwit server: publish a post, follow an account, change the profile, sign out. A member
signed in to Godwit opens that page in the same browser and submits each form. The attacker's
port is another origin but the same site (127.0.0.1), so the browser does send the session
cookie along (SameSite=Lax does not stop it): only the CSRF token can refuse these, and it must.
A token copied from the attacker's own Godwit session is refused as well.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest

from tests.browser.browsing import Browsing, expect
from tests.browser.community import Community, Member

if TYPE_CHECKING:
    from playwright.sync_api import Page

FORGED_POST = "Forged post from another site"
FORGED_NAME = "Forged name"


class AttackerSite:
    """Serves whatever page the test puts in ``html`` at ``/``."""

    def __init__(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep the test output quiet

        self.html = ""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def attacker_site() -> Iterator[AttackerSite]:
    site = AttackerSite()
    yield site
    site.close()


def forms_page(target: str, victim_target: Member, token: str | None) -> str:
    """The attacker's page: one form per state-changing action, each with a button."""
    hidden = (
        f'<input type="hidden" name="authenticity_token" value="{html.escape(token)}">'
        if token is not None
        else ""
    )
    forms = {
        "Publish": ("/web/statuses", {"status": FORGED_POST, "visibility": "public"}),
        "Follow": (f"/web/accounts/{victim_target.account_id}/follow", {}),
        "Rename": ("/settings/profile", {"display_name": FORGED_NAME}),
        "Sign out": ("/auth/sign_out", {}),
    }
    parts = ["<!DOCTYPE html><html lang='en'><title>Win a prize</title><body>"]
    for label, (path, fields) in forms.items():
        inputs = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
            for name, value in fields.items()
        )
        parts.append(
            f'<form method="post" action="{target}{path}" enctype="multipart/form-data">'
            f'{hidden}{inputs}<button type="submit">{label}</button></form>'
        )
    parts.append("</body></html>")
    return "".join(parts)


def submit_from_attacker(page: Page, site: AttackerSite, label: str) -> None:
    page.goto(site.url)
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name=label).click()
    response = answer.value
    # The session cookie did travel with the forged request: the token alone refused it.
    assert "godwit_session=" in (response.request.header_value("cookie") or "")
    assert response.status == 403, f"{label}: {response.status}"
    expect(page.get_by_role("main")).to_contain_text(re.compile("not sent from this site"))


def test_forms_posted_from_another_site_are_refused(
    attacker_site: AttackerSite, browsing: Browsing, community: Community
) -> None:
    victim = community.join("victim", display_name="Victor Victim")
    attacker = community.join("attacker")
    # The attacker's own, valid token: it belongs to another browser's cookie.
    own = browsing.page(member=attacker)
    own.goto("/home")
    attackers_token = own.locator("input[name=authenticity_token]").first.get_attribute("value")
    assert attackers_token

    page = browsing.page(member=victim)
    for token in (None, attackers_token):
        attacker_site.html = forms_page(browsing.base_url, attacker, token)
        for label in ("Publish", "Follow", "Rename", "Sign out"):
            submit_from_attacker(page, attacker_site, label)

    # Nothing happened: no post, no follow, the same name, still signed in.
    assert community.statuses_of(victim) == []
    assert community.relationship(victim, attacker)["following"] is False
    assert community.account(victim)["display_name"] == "Victor Victim"
    page.goto("/home")
    expect(page).to_have_url(re.compile(r"/home$"))
