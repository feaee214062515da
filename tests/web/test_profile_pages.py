"""Profile pages: /@acct (tabs, pinned posts), followers and following; visitors and
members; visibility as the API; OpenGraph and ActivityPub discovery; escaping."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import update

from godwit.app import Components
from godwit.storage.schema import accounts
from godwit.web import profile_pages
from tests.factories import make_member
from tests.web.pages import sign_in
from tests.web.profile_helpers import (
    IMG,
    JS_LINK,
    SCRIPT,
    assert_inert,
    follow,
    head,
    link,
    meta,
    post,
    set_profile,
    suspend,
)


async def test_a_visitor_reads_a_profile_with_its_bio_fields_counts_and_posts(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await set_profile(
        web_components,
        alice,
        display_name="Alice Liddell",
        note="Curiouser & curiouser.\n\nDown the rabbit hole.",
        fields=(("Garden", "https://garden.example/roses"), ("Pronouns", "she/her")),
    )
    await post(web_components, alice, "Hello from the garden")

    page = await web.get("/@alice")

    assert page.status_code == 200
    html = page.text
    assert "<h1" in html
    assert "Alice Liddell" in html
    assert "@alice@godwit.test" in html
    assert "Curiouser &amp; curiouser." in html
    assert "<dt>Garden</dt>" in html
    assert 'href="https://garden.example/roses"' in html
    assert "Hello from the garden" in html
    assert "Joined " in html
    assert "<strong>1</strong> post" in html
    assert 'href="/@alice/followers"' in html
    assert 'href="/@alice/following"' in html
    assert "Sign in to follow" in html  # visitors get no action forms
    assert "/web/accounts/" not in html


async def test_profile_head_has_opengraph_and_activitypub_discovery(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await set_profile(web_components, alice, note="Tea <b>parties</b> &\nriddles")

    html = head((await web.get("/@alice")).text)

    assert meta(html, "og:type") == "profile"
    assert meta(html, "og:title") == "Alice (@alice@godwit.test)"
    assert meta(html, "og:url") == "https://godwit.test/@alice"
    assert meta(html, "og:description") == "Tea <b>parties</b> & riddles"  # plain text
    assert meta(html, "og:image") == "https://godwit.test/static/avatar-missing.png"
    assert meta(html, "profile:username") == "alice"
    assert link(html, "canonical") == "https://godwit.test/@alice"
    assert (
        '<link rel="alternate" type="application/activity+json" '
        'href="https://godwit.test/users/alice">' in html
    )
    # The description is plain text, escaped once: no markup inside the attribute.
    assert "<b>" not in html


async def test_names_bios_and_fields_render_inert(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    mallory = await make_member(web_components, "mallory")
    await set_profile(
        web_components,
        mallory,
        display_name=IMG,
        note=f"{SCRIPT} {IMG} <a href='{JS_LINK}'>click</a>",
        fields=((SCRIPT, JS_LINK), ("Site", f'<a href="{JS_LINK}">x</a>'), (IMG, IMG)),
    )
    await post(web_components, mallory, f"{SCRIPT} and {IMG}")
    viewer = await make_member(web_components, "viewer")

    visitor_page = await web.get("/@mallory")
    await sign_in(web, web_components, viewer)
    member_page = await web.get("/@mallory")
    followers = await web.get("/@mallory/followers")

    for page in (visitor_page, member_page, followers):
        assert page.status_code == 200
        assert_inert(page.text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in visitor_page.text  # shown, as text
    og = meta(visitor_page.text, "og:title") or ""
    assert og.startswith(IMG)  # the literal name, escaped in the attribute


async def test_markup_already_in_the_database_is_sanitised_when_shown(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    """A row written by an older release or a restore still cannot inject markup."""
    mallory = await make_member(web_components, "mallory")
    raw = f'{SCRIPT}<a href="{JS_LINK}" onclick="alert(1)">x</a>{IMG}<p>kept</p>'
    async with web_components.database.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == mallory.account_id)
            .values(
                note=raw,
                fields=[{"name": "Site", "value": "x", "value_html": raw, "verified_at": None}],
            )
        )

    page = await web.get("/@mallory")

    assert page.status_code == 200
    assert_inert(page.text)
    assert "<p>kept</p>" in page.text
    assert "alert" not in (meta(page.text, "og:description") or "")  # the script body is dropped


async def test_followers_only_posts_show_to_followers_and_no_one_else(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    follower = await make_member(web_components, "fiona")
    stranger = await make_member(web_components, "stan")
    friend = await make_member(web_components, "frank")
    await follow(web_components, follower, alice)
    await post(web_components, alice, "Open to the world")
    await post(web_components, alice, "Unlisted musings", visibility="unlisted")
    await post(web_components, alice, "Only for my followers", visibility="private")
    await post(web_components, alice, "Psst @frank, just us", visibility="direct")

    visitor = (await web.get("/@alice")).text
    await sign_in(web, web_components, stranger)
    as_stranger = (await web.get("/@alice")).text
    await sign_in(web, web_components, follower)
    as_follower = (await web.get("/@alice")).text
    await sign_in(web, web_components, friend)
    as_mentioned = (await web.get("/@alice")).text
    await sign_in(web, web_components, alice)
    as_author = (await web.get("/@alice")).text

    for page in (visitor, as_stranger, as_follower, as_mentioned, as_author):
        assert "Open to the world" in page
        assert "Unlisted musings" in page
    assert "Only for my followers" not in visitor
    assert "Only for my followers" not in as_stranger
    assert "Only for my followers" in as_follower
    assert "Only for my followers" in as_author
    assert "just us" not in visitor + as_stranger + as_follower
    assert "just us" in as_mentioned
    assert "just us" in as_author
    # Nothing non-public is copied into the head, even for those who may read it.
    assert "followers" not in (meta(as_follower, "og:description") or "")


async def test_tabs_split_posts_replies_and_media(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    root = await post(web_components, bob, "Bob starts a thread")
    await post(web_components, alice, "A post of my own")
    await post(web_components, alice, "@bob a reply to Bob", reply_to=root)

    posts_tab = await web.get("/@alice")
    replies_tab = await web.get("/@alice/with_replies")
    media_tab = await web.get("/@alice/media")

    assert "A post of my own" in posts_tab.text
    assert "a reply to Bob" not in posts_tab.text
    assert "A post of my own" in replies_tab.text
    assert "a reply to Bob" in replies_tab.text
    assert media_tab.status_code == 200
    assert "No posts with pictures, video or sound yet." in media_tab.text
    assert 'href="/@alice/with_replies" aria-current="page"' in replies_tab.text


async def test_pinned_posts_come_first_once_on_the_first_page(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    pinned = await post(web_components, alice, "The pinned introduction")
    await post(web_components, alice, "A later post")
    await web_components.services.status_marks.pin(int(pinned), alice.account_id)

    html = (await web.get("/@alice")).text

    assert 'id="pinned-heading"' in html
    assert html.count(f'id="status-{pinned}"') == 1
    assert html.index("The pinned introduction") < html.index("A later post")


async def test_long_profiles_and_lists_page_with_older_links(
    web: httpx.AsyncClient, web_components: Components, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profile_pages, "ACCOUNTS_PAGE", 2)
    alice = await make_member(web_components, "alice")
    fans = [await make_member(web_components, f"fan{n}") for n in range(3)]
    for fan in fans:
        await follow(web_components, fan, alice)
    for n in range(21):
        await post(web_components, alice, f"Post number {n}")

    first = await web.get("/@alice")
    assert "Post number 20" in first.text
    assert "Post number 0" not in first.text
    older = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = await web.get(older.replace("&amp;", "&"))
    assert "Post number 0" in second.text
    assert "Post number 20" not in second.text

    page_one = await web.get("/@alice/followers")
    assert page_one.status_code == 200
    assert page_one.text.count('class="account-card"') == 2
    assert 'aria-current="page"' in page_one.text.split('id="list-heading"')[0]
    more = page_one.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    page_two = await web.get(more.replace("&amp;", "&"))
    assert page_two.text.count('class="account-card"') == 1
    names = {f"@fan{n}" for n in range(3)}
    assert all(name in page_one.text + page_two.text for name in names)

    following = await web.get("/@fan0/following")
    assert "@alice" in following.text
    assert 'class="account-card"' in following.text


async def test_a_member_sees_follow_buttons_and_their_own_profile_an_edit_link(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    await follow(web_components, bob, alice)
    await sign_in(web, web_components, alice)

    own = (await web.get("/@alice")).text
    other = (await web.get("/@bob")).text
    followers = (await web.get("/@alice/followers")).text

    assert 'href="/settings/profile"' in own
    assert "/web/accounts/" not in own
    assert f'action="/web/accounts/{bob.account_id}/follow"' in other
    assert "Follow back" in other
    assert "Follows you" in other
    assert f'action="/web/accounts/{bob.account_id}/mute"' in other
    assert f'action="/web/accounts/{bob.account_id}/block"' in other
    assert f'href="/report?account_id={bob.account_id}"' in other
    assert f'action="/web/accounts/{bob.account_id}/follow"' in followers


async def test_a_suspended_account_shows_only_that_it_is_suspended(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    sam = await make_member(web_components, "sam")
    await set_profile(web_components, sam, display_name="Sam Spammer", note="Buy my pills")
    status_id = await post(web_components, sam, "Cheap pills here")
    await suspend(web_components, sam)

    page = await web.get("/@sam")

    assert page.status_code == 200
    assert "This account has been suspended" in page.text
    for leaked in ("Sam Spammer", "Buy my pills", "Cheap pills here"):
        assert leaked not in page.text
    tags = head(page.text)
    assert meta(tags, "og:description") is None
    assert meta(tags, "og:image") is None
    assert meta(tags, "robots") == "noindex, noarchive"
    assert (await web.get("/@sam/followers")).status_code == 404
    assert (await web.get(f"/@sam/{status_id}")).status_code == 404


async def test_unknown_accounts_are_a_404_page_and_other_spellings_redirect(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await make_member(web_components, "alice")

    missing = await web.get("/@nobody")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]
    assert (await web.get("/@nobody/followers")).status_code == 404
    assert (await web.get("/@" + "x" * 500)).status_code == 404

    upper = await web.get("/@ALICE/following?max_id=5")
    assert upper.status_code == 301
    assert upper.headers["location"] == "/@alice/following?max_id=5"
    full = await web.get("/@alice@godwit.test")
    assert full.status_code == 301
    assert full.headers["location"] == "/@alice"


async def test_a_blocked_viewer_is_not_shown_the_blockers_lists(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    carol = await make_member(web_components, "carol")
    await follow(web_components, carol, alice)
    await web_components.services.graph.block(alice.account_id, bob.account_id)
    await sign_in(web, web_components, bob)

    page = await web.get("/@alice/followers")

    assert page.status_code == 200
    assert "This list is not available to you." in page.text
    assert "@carol" not in page.text
    assert f'action="/web/accounts/{alice.account_id}/follow"' not in page.text
