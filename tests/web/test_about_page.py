"""/about: the server's title, description, rules, contact, registration mode and figures."""

from __future__ import annotations

import httpx
import pytest

from godwit.app import Components
from godwit.domain.roles import OPERATOR
from godwit.domain.server_settings import SettingsChange
from tests.factories import make_member
from tests.web.profile_helpers import IMG, SCRIPT, assert_inert, link, meta, post


async def test_about_shows_rules_contact_and_figures_to_visitors(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    admin = await make_member(web_components, "boss", role="admin")
    await make_member(web_components, "alice")
    await post(web_components, admin, "Welcome, everyone")
    await web_components.services.server_settings.update(
        OPERATOR,
        SettingsChange(
            title="Birdhouse",
            description="A cosy place for bird watchers.",
            contact_email="help@birdhouse.example",
        ),
    )
    await web_components.services.server_settings.add_rule(OPERATOR, "Be kind", "No insults")
    await web_components.services.server_settings.add_rule(OPERATOR, "No spam")

    page = await web.get("/about")

    assert page.status_code == 200
    html = page.text
    assert '<h1 class="about__title">Birdhouse</h1>' in html
    assert "A cosy place for bird watchers." in html
    rules = html.split('id="rules"')[1].split("</ol>")[0]
    assert rules.index("Be kind") < rules.index("No spam")
    assert "No insults" in rules
    assert 'href="mailto:help@birdhouse.example"' in html
    assert 'href="/@boss"' in html
    assert "<dt>Members</dt><dd>2</dd>" in html
    assert "<dt>Posts</dt><dd>1</dd>" in html
    assert meta(html, "og:title") == "About Birdhouse"
    assert meta(html, "og:description") == "A cosy place for bird watchers."
    assert link(html, "canonical") == "https://godwit.test/about"


@pytest.mark.parametrize(
    ("mode", "words", "button"),
    [
        ("open", "Anyone can create an account here.", "Create an account"),
        ("approval", "a moderator reviews each request", "Ask for an account"),
        ("closed", "not taking new members", None),
    ],
)
async def test_about_says_the_registration_mode_in_words(
    web: httpx.AsyncClient,
    web_components: Components,
    mode: str,
    words: str,
    button: str | None,
) -> None:
    await web_components.services.server_settings.update(
        OPERATOR, SettingsChange(registration_mode=mode)
    )

    html = (await web.get("/about")).text

    joining = html.split('id="joining"')[1].split("</section>")[0]
    assert words in joining
    if button:
        assert button in joining
        assert 'href="/auth/sign_up"' in joining
    else:
        assert 'href="/auth/sign_up"' not in joining


async def test_about_without_rules_or_contact_still_reads_well(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await web_components.services.server_settings.update(OPERATOR, SettingsChange(contact_email=""))

    html = (await web.get("/about")).text

    assert 'id="rules"' in html  # the footer's link still lands somewhere
    assert "has not published any rules yet" in html
    assert "No contact has been published." in html


async def test_admin_written_text_is_escaped(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    await web_components.services.server_settings.update(
        OPERATOR, SettingsChange(description=f"{SCRIPT} {IMG}")
    )
    await web_components.services.server_settings.add_rule(OPERATOR, SCRIPT, IMG)

    page = await web.get("/about")

    assert_inert(page.text)
    assert "&lt;script&gt;" in page.text
