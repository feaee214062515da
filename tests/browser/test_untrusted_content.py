"""Stored and reflected XSS payloads render as inert text in a real browser.

An attacker puts script payloads in every place a member controls: display name, bio,
profile fields, post text, content warning, image description, poll choices and a report's
comment. A member (and a moderator) then look at every page that shows them, in a browser
context that BYPASSES the Content-Security-Policy: the escaping and sanitising alone must keep
each payload inert (the CSP is a second wall, tested in test_main_pages.py). On each page:
no dialog ever opens, the DOM holds no event-handler attribute, ``javascript:`` URL, foreign
script or frame, and the payload shows as the text that was typed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from tests.browser.browsing import Browsing, expect
from tests.browser.community import Community, Member
from tests.browser.pictures import picture

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Display names are limited to 30 characters.
NAME = "<img src=x onerror=alert(1)>"
BIO = (
    '<script>alert("bio")</script> <img src=x onerror=alert("bio")> '
    '<a href="javascript:alert(1)">me</a>'
)
FIELD_NAME = '<svg onload=alert("field")>'
FIELD_VALUE = '"><img src=x onerror=alert("value")>'
POST = (
    '<script>alert("post")</script><img src=x onerror=alert("post")> '
    '<iframe src="javascript:alert(2)"></iframe>'
)
WARNING = '<img src=x onerror=alert("cw")>'
ALT = '"><img src=x onerror=alert("alt")>'
POLL = ['<script>alert("poll")</script>', "<b onclick=alert(3)>no</b>"]
COMMENT = '</blockquote><script>alert("report")</script>'
REFLECTED = '"><img src=x onerror=alert("query")>'

# Everything that could run: an event-handler attribute, a javascript: URL, a script that
# is not the site's own file, a frame, an embedded object.
_DANGEROUS_DOM = """
() => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const dangerous = /^on/i.test(attribute.name)
        || (urlAttributes.includes(attribute.name.toLowerCase())
            && /^\\s*javascript:/i.test(attribute.value));
      if (dangerous) found.push(element.outerHTML.slice(0, 200));
    }
  }
  for (const script of document.querySelectorAll("script")) {
    if (!script.src || new URL(script.src).origin !== location.origin) {
      found.push(script.outerHTML.slice(0, 200));
    }
  }
  for (const frame of document.querySelectorAll("iframe, frame, object, embed")) {
    found.push(frame.outerHTML.slice(0, 200));
  }
  return found;
}
"""


@dataclass(frozen=True)
class Stage:
    attacker: Member
    victim: Member
    moderator: Member
    post_id: str


@pytest.fixture(scope="module")
def stage(community: Community, moderator: Member) -> Stage:
    attacker = community.join("mallory")
    community.update_profile(
        attacker, display_name=NAME, note=BIO, fields=[(FIELD_NAME, FIELD_VALUE)]
    )
    victim = community.join("alice", display_name="Alice")
    community.follow(victim, attacker)
    community.follow(attacker, victim)  # the attacker's name in the victim's notifications
    post = community.post(
        attacker, f"@{victim.username} {POST}", spoiler_text=WARNING, visibility="public"
    )
    image = community.upload_image(attacker, picture(64, 48, "#000000", "#ff0000"), ALT)
    community.post(attacker, "A picture", media_ids=[image["id"]])
    community.post(attacker, "A poll", poll={"options": POLL, "expires_in": 3600})
    community.report(victim, attacker.account_id, [post["id"]], COMMENT)
    return Stage(attacker, victim, moderator, str(post["id"]))


def assert_inert(browsing: Browsing, page: Page, where: str) -> None:
    found = page.evaluate(_DANGEROUS_DOM)
    assert not found, f"{where}: active content from a payload: {found}"
    log = browsing.log(page)
    assert not log.dialogs, f"{where}: a payload ran and opened {log.dialogs}"
    assert not log.script_errors, f"{where}: script errors {log.script_errors}"


def test_the_checks_catch_a_payload_that_runs(browsing: Browsing) -> None:
    """The checks can fail: markup that was not escaped opens a dialog and is found."""
    page = browsing.page(bypass_csp=True)
    page.set_content(f"<!DOCTYPE html><main><p>{NAME}</p></main>")
    expect(page.locator("img")).to_have_count(1)
    page.wait_for_function("() => document.querySelector('img').complete")
    with pytest.raises(AssertionError, match="active content"):
        assert_inert(browsing, page, "unescaped markup")
    assert browsing.log(page).dialogs == ["alert: 1"]


@dataclass(frozen=True)
class Surface:
    name: str
    who: str  # "victim" or "moderator"
    path: Callable[[Stage], str]
    shows: tuple[str, ...]  # payloads that must be visible as text
    # Content warnings hide the post until opened: open them to render everything.
    open_details: bool = False


SURFACES = [
    Surface("home", "victim", lambda s: "/home", (NAME, WARNING, POST), open_details=True),
    Surface(
        "profile",
        "victim",
        lambda s: f"/@{s.attacker.username}",
        (NAME, FIELD_NAME, FIELD_VALUE, 'alert("bio")'),
    ),
    Surface(
        "thread", "victim", lambda s: f"/@{s.attacker.username}/{s.post_id}", (NAME, POST), True
    ),
    Surface("notifications", "victim", lambda s: "/notifications", (NAME,), open_details=True),
    Surface("followers", "victim", lambda s: f"/@{s.victim.username}/followers", (NAME,)),
    Surface("search-accounts", "victim", lambda s: f"/search?q={s.attacker.username}", (NAME,)),
    Surface("search-reflected", "victim", lambda s: f"/search?q={quote(REFLECTED)}", ()),
    Surface(
        "report-form",
        "victim",
        lambda s: f"/report?account_id={s.attacker.account_id}&status_id={s.post_id}",
        (POST,),
    ),
    Surface("admin-queue", "moderator", lambda s: "/admin/reports", (NAME,)),
    Surface(
        "admin-account",
        "moderator",
        lambda s: f"/admin/accounts/{s.attacker.account_id}",
        (NAME,),
    ),
]


@pytest.mark.parametrize("surface", SURFACES, ids=lambda surface: surface.name)
def test_payloads_stay_text(surface: Surface, stage: Stage, browsing: Browsing) -> None:
    member = stage.victim if surface.who == "victim" else stage.moderator
    page = browsing.page(bypass_csp=True, member=member)
    response = page.goto(surface.path(stage))
    assert response is not None
    assert response.status == 200, response.status
    if surface.open_details:
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    main = page.get_by_role("main")
    for payload in surface.shows:
        expect(main).to_contain_text(payload)
    assert_inert(browsing, page, surface.name)


def test_image_description_and_poll_stay_text(stage: Stage, browsing: Browsing) -> None:
    page = browsing.page(bypass_csp=True, member=stage.victim)
    page.goto(f"/@{stage.attacker.username}")
    expect(page.get_by_role("img", name=ALT)).to_have_count(1)  # the alt text, as typed
    for choice in POLL:
        expect(page.get_by_role("main")).to_contain_text(choice)
    assert_inert(browsing, page, "profile with picture and poll")


def test_moderator_sees_the_report_comment_as_text(stage: Stage, browsing: Browsing) -> None:
    page = browsing.page(bypass_csp=True, member=stage.moderator)
    page.goto("/admin/reports")
    row = page.get_by_role("row").filter(has_text=f"@{stage.attacker.username}")
    row.get_by_role("link").filter(has_text="#").first.click()
    page.wait_for_url("**/admin/reports/*")
    main = page.get_by_role("main")
    expect(main).to_contain_text(COMMENT)
    expect(main).to_contain_text(NAME)
    assert_inert(browsing, page, "the moderator's report page")


def test_a_payload_arriving_live_stays_text(
    stage: Stage, community: Community, browsing: Browsing
) -> None:
    """The live timeline inserts server-rendered cards with a script: still inert."""
    page = browsing.page(bypass_csp=True, member=stage.victim)
    with page.expect_response(lambda response: "/web/live/home" in response.url):
        page.goto("/home")
    marker = secrets.token_hex(3)
    community.post(stage.attacker, f"{POST} live {marker}")
    expect(page.get_by_role("article").filter(has_text=f"live {marker}")).to_contain_text(POST)
    assert_inert(browsing, page, "home after a live update")


def test_a_reflected_form_value_stays_text(browsing: Browsing) -> None:
    """A refused sign-in shows the login again, as typed and inert."""
    page = browsing.page(bypass_csp=True)
    page.goto("/auth/sign_in")
    page.get_by_label("Email address or username").fill(REFLECTED)
    page.get_by_label("Password", exact=True).fill("wrong password, long enough")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Email address or username")).to_have_value(REFLECTED)
    assert_inert(browsing, page, "sign-in form shown again")
