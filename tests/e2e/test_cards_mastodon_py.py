"""Preview cards, link trends and the small 4.3/4.4 endpoints through Mastodon.py against a
live server, which fetches the links from a local web site started by the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.databases import DatabaseFactory
from tests.e2e.conftest import SignUp
from tests.support.link_pages import ARTICLE_TITLE, PageServer, serve_pages
from tests.support.live_server import LiveServer
from tests.support.waiting import eventually


@pytest.fixture(scope="module")
def site() -> Iterator[PageServer]:
    yield from serve_pages()


@pytest.fixture(scope="module")
def live_server(
    database_factory: DatabaseFactory,
    tmp_path_factory: pytest.TempPathFactory,
    site: PageServer,
) -> Iterator[LiveServer]:
    """This module's server fetches cards, from loopback and the local site's port."""
    database_url = database_factory.new_url()
    server = LiveServer(
        tmp_path_factory.mktemp("cards"),
        database_url,
        extra_env={
            "GODWIT_PREVIEW_CARDS": "true",
            "GODWIT_PREVIEW_CARDS_ALLOW_LOOPBACK": "true",
            "GODWIT_PREVIEW_CARDS_ALLOWED_PORTS": f"80,443,{site.port}",
        },
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()
        database_factory.drop(database_url)


def test_cards_and_link_trends_through_mastodon_py(
    sign_up: SignUp, site: PageServer, http: httpx.Client
) -> None:
    alice, bob = sign_up("calice"), sign_up("cbob")
    link = site.url("/article")
    posted = [person.api.status_post(f"Look at this {link}") for person in (alice, bob)]
    assert posted[0].card is None  # the job fetches it after the post

    def card() -> Any:
        return alice.api.status(posted[0].id).card

    shown = eventually(card, what="the preview card")
    assert shown.title == ARTICLE_TITLE
    assert shown.url == link
    assert shown.type == "link"
    assert shown.image.startswith(http.base_url.join("/media/cards/").__str__())
    assert http.get(shown.image).status_code == 200
    eventually(lambda: bob.api.status(posted[1].id).card, what="bob's card")

    trending = bob.api.trending_links()
    assert [item.url for item in trending] == [link]
    assert trending[0].history[0].accounts == 2  # Mastodon.py turns the strings into ints
    shared = alice.api.timeline_link(link)
    assert [status.id for status in shared] == [posted[1].id, posted[0].id]


def test_accounts_familiar_followers_endorsements_and_tags(
    sign_up: SignUp, http: httpx.Client
) -> None:
    me, ann, star = sign_up("dme"), sign_up("dann"), sign_up("dstar")
    me.api.account_follow(ann.account_id)
    me.api.account_follow(star.account_id)
    ann.api.account_follow(star.account_id)

    found = me.api.accounts([star.account_id, ann.account_id])
    assert [account.username for account in found] == [star.username, ann.username]
    familiar = me.api.account_familiar_followers(star.account_id)
    assert [account.id for account in familiar[0].accounts] == [ann.api.me().id]

    assert me.api.account_endorse(star.account_id).endorsed is True
    endorsed = http.get(f"/api/v1/accounts/{me.account_id}/endorsements").json()
    assert [account["id"] for account in endorsed] == [star.account_id]
    assert me.api.account_unendorse(star.account_id).endorsed is False

    assert me.api.tag_feature("shorebirds").featuring is True
    assert [tag.name for tag in me.api.featured_tags()] == ["shorebirds"]
    assert me.api.tag_unfeature("shorebirds").featuring is False

    assert me.api.instance_translation_languages() == {}
    health = http.get("/health")
    assert (health.status_code, health.text) == (200, "OK")
