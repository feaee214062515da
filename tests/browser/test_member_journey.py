"""A newcomer's first hour, and the moderation it leads to, in a real browser.

A newcomer signs up through the form (the rules shown and accepted), posts a picture with alt
text, follows another member and sees that member's next post arrive live in the home timeline
without a reload, replies to it, and reports a troll's post; a moderator opens the report and
suspends the troll, who can no longer sign in; the audit log shows who did it, when and why.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.browsing import Browsing, expect
from tests.browser.community import Community, Member
from tests.browser.pictures import picture_file

if TYPE_CHECKING:
    from playwright.sync_api import Page

NEWCOMER_PASSWORD = "newcomer passphrase, long enough"
# The live stream delivers within a second; a loaded CI machine gets a generous margin.
LIVE_TIMEOUT_MS = 20_000
SUSPENSION_REASON = "Insulting members on the local timeline after a warning (rule 1)."


def test_newcomer_to_suspension(
    browsing: Browsing, community: Community, moderator: Member, tmp_path: Path
) -> None:
    friend = community.join("finch", display_name="Friendly Finch")
    troll = community.join("troll", display_name="Trouble Maker")

    page = browsing.page()
    newcomer = f"newcomer_{secrets.token_hex(3)}"
    sign_up_through_the_form(page, newcomer)

    picture = picture_file(tmp_path / "dunes.png", 320, 200, "#f6d365", "#fda085", sun="#ffffff")
    post_a_picture(page, newcomer, picture, "Sand dunes at sunset, a white sun low over them")

    follow(page, friend)
    news, friend_post = see_a_post_arrive_live(page, community, friend)
    reply(page, friend, news, friend_post["id"])
    nasty, comment = report_a_post(page, community, troll)

    suspend_from_the_report(browsing, moderator, troll, nasty, comment)
    suspended_member_cannot_sign_in(browsing, community, troll)
    audit_log_shows_the_suspension(browsing, moderator, troll)
    browsing.log(page).assert_clean("the newcomer's pages")


def expect_notice(page: Page, text: str) -> None:
    """The one-line confirmation after a form (a live region, like the script's own)."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def open_account_menu(page: Page, username: str) -> None:
    page.get_by_role("banner").get_by_text(f"@{username}", exact=True).click()


def sign_up_through_the_form(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", name="Server rules")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email address").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(NEWCOMER_PASSWORD)
    page.get_by_label("Confirm password").fill(NEWCOMER_PASSWORD)
    # Without accepting the rules there is no account, and the form says why.
    page.get_by_role("button", name="Create account").click()
    agreement = page.get_by_role("checkbox", name=re.compile("I have read the rules"))
    expect(agreement).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Username")).to_have_value(username)
    page.get_by_label("Password", exact=True).fill(NEWCOMER_PASSWORD)
    page.get_by_label("Confirm password").fill(NEWCOMER_PASSWORD)
    agreement.check()
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/home\?notice=signed_up"))
    expect(page.get_by_role("heading", name="Home", level=1)).to_be_visible()
    expect_notice(page, "Welcome")


def post_a_picture(page: Page, username: str, picture: Path, alt_text: str) -> None:
    text = f"My first post here: the dunes last night ({secrets.token_hex(2)})."
    compose = page.get_by_role("form", name="Write a post")
    compose.get_by_label("Post text").fill(text)
    compose.get_by_text("Images", exact=True).click()  # the <details> that holds the inputs
    compose.get_by_label("Image file").first.set_input_files(picture)
    compose.get_by_label("Alt text for image 1").fill(alt_text)
    compose.get_by_role("button", name="Post").click()
    page.wait_for_url(re.compile(r"notice=posted"))
    expect_notice(page, "Your post was published")
    # On the member's own profile (the home feed gets the post from a background job).
    open_account_menu(page, username)
    page.get_by_role("link", name="Your profile").click()
    image = page.get_by_role("article").filter(has_text=text).get_by_role("img", name=alt_text)
    expect(image).to_be_visible()
    # The picture really arrived: the browser fetched and decoded it.
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0


def follow(page: Page, other: Member) -> None:
    page.goto(other.profile_path)
    page.get_by_role("button", name=re.compile(r"^Follow\b")).click()
    expect(page.get_by_role("button", name=re.compile(r"^Unfollow\b"))).to_be_visible()


def see_a_post_arrive_live(
    page: Page, community: Community, friend: Member
) -> tuple[str, dict[str, str]]:
    """The friend posts through the API (another app); the open home timeline shows it
    without a reload."""
    # The page's script opens the stream after loading: wait until it is connected (the
    # response's headers arrived), since only then can a new post be delivered.
    with page.expect_response(lambda response: "/web/live/home" in response.url) as stream:
        page.goto("/home")
    assert stream.value.ok, stream.value.status
    page.evaluate("() => { window.godwitSameDocument = true; }")
    news = f"Good morning, newcomers! ({secrets.token_hex(2)})"
    posted = community.post(friend, news)
    arrived = page.get_by_role("article").filter(has_text=news)
    expect(arrived).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    assert page.evaluate("() => window.godwitSameDocument === true"), "the page was reloaded"
    return news, posted


def reply(page: Page, friend: Member, news: str, post_id: str) -> None:
    """Reply from the post's thread page, where the reply then shows under the post."""
    arrived = page.get_by_role("article").filter(has_text=news)
    arrived.get_by_role("link", name=re.compile(r"^Reply")).click()
    page.wait_for_url(re.compile(rf"/@{friend.username}/{post_id}"))
    answer = f"Welcome to you too, thanks for the warm start ({secrets.token_hex(2)})!"
    compose = page.get_by_role("form", name=f"Reply to @{friend.username}")
    text = compose.get_by_label("Post text")
    expect(text).to_have_value(re.compile(rf"^@{friend.username}\b"))  # the mention is filled in
    text.fill(f"@{friend.username} {answer}")
    compose.get_by_role("button", name="Reply").click()
    expect(page.get_by_role("article").filter(has_text=answer)).to_be_visible()


def report_a_post(page: Page, community: Community, troll: Member) -> tuple[str, str]:
    """A troll posts on the local timeline; the newcomer reports that post from its menu."""
    nasty = f"Everyone here is an idiot and should leave ({secrets.token_hex(2)})"
    community.post(troll, nasty)
    page.goto("/public/local")
    trolling = page.get_by_role("article").filter(has_text=nasty)
    trolling.locator("summary").filter(has_text="More actions").click()  # the post's menu
    trolling.get_by_role("link", name=f"Report @{troll.username}").click()
    page.wait_for_url(re.compile(r"/report\?"))
    expect(page.get_by_role("heading", name=f"Report @{troll.username}")).to_be_visible()
    expect(
        page.get_by_role("checkbox", name=re.compile("The post you are reporting"))
    ).to_be_checked()
    page.get_by_role("radio", name="Something else").check()
    comment = f"Insults everyone on the local timeline ({secrets.token_hex(2)})."
    page.get_by_label("Anything else the moderators should know?").fill(comment)
    page.get_by_role("button", name="Send report").click()
    expect_notice(page, "report was sent")
    return nasty, comment


def suspend_from_the_report(
    browsing: Browsing, moderator: Member, troll: Member, nasty: str, comment: str
) -> None:
    page = browsing.page(member=moderator)
    page.goto("/home")
    open_account_menu(page, moderator.username)
    page.get_by_role("link", name="Moderation").click()
    page.wait_for_url(re.compile(r"/admin/reports"))
    row = page.get_by_role("row").filter(has_text=f"@{troll.username}")
    row.get_by_role("link", name=re.compile(r"#\d+")).click()
    page.wait_for_url(re.compile(r"/admin/reports/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"@{troll.username}")
    # The reporter's words and the reported post are there for the moderator to judge.
    expect(page.get_by_role("main")).to_contain_text(comment)
    expect(page.get_by_role("region", name="Reported posts")).to_contain_text(nasty)
    action = page.get_by_role("region", name="Act on the account")
    action.get_by_role("radio", name=re.compile("^Suspend")).check()
    action.get_by_label("Reason, shown to the member").fill(SUSPENSION_REASON)
    action.get_by_role("button", name="Take action").click()
    expect_notice(page, "moderation action was recorded")
    browsing.log(page).assert_clean("the moderator's pages")


def suspended_member_cannot_sign_in(
    browsing: Browsing, community: Community, troll: Member
) -> None:
    page = browsing.page()
    page.goto("/auth/sign_in")
    page.get_by_label("Email address or username").fill(troll.username)
    page.get_by_label("Password", exact=True).fill(troll.password)
    with page.expect_response(
        lambda response: response.request.method == "POST" and "/auth/sign_in" in response.url
    ) as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status in (401, 403), answer.value.status
    expect(page.get_by_role("alert")).to_be_visible()
    assert "/auth/sign_in" in page.url
    # Nothing of the session survives: the home timeline sends the browser to sign in.
    page.goto("/home")
    expect(page).to_have_url(re.compile(r"/auth/sign_in"))
    # The troll's API token stopped working too.
    assert community.credentials_status(troll) in (401, 403)


def audit_log_shows_the_suspension(browsing: Browsing, moderator: Member, troll: Member) -> None:
    page = browsing.page(member=moderator)
    page.goto("/admin/reports")
    page.get_by_role("navigation", name="Moderation").get_by_role("link", name="Audit log").click()
    page.wait_for_url(re.compile(r"/admin/audit-log"))
    entry = page.get_by_role("row").filter(has_text="Suspended").filter(has_text=troll.username)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(moderator.username)
    expect(entry).to_contain_text(SUSPENSION_REASON)
    expect(entry.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
