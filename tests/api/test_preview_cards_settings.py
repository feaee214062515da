"""The settings around preview cards: off means no fetch at all, and without the loopback
flag a link to this machine gets no card and no request."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from godwit.config import Settings
from tests.api.tier3_helpers import components_of, post, settle
from tests.factories import make_member
from tests.support.link_pages import PageServer, serve_pages


@pytest.fixture
def site() -> Iterator[PageServer]:
    yield from serve_pages()


async def posted_card(client: httpx.AsyncClient, site: PageServer) -> object:
    alice = await make_member(components_of(client), "alice")
    status_id = await post(client, alice, f"see {site.url('/article')}")
    await settle(client)
    return (await client.get(f"/api/v1/statuses/{status_id}")).json()["card"]


class TestLoopbackRefused:
    @pytest.fixture
    def settings(self, settings: Settings, site: PageServer) -> Settings:
        return settings.replace(
            preview_cards=True, preview_cards_allowed_ports=f"80,443,{site.port}"
        )

    async def test_a_link_to_loopback_is_not_fetched(
        self, client: httpx.AsyncClient, site: PageServer
    ) -> None:
        assert await posted_card(client, site) is None
        assert sum(site.hits.values()) == 0


class TestCardsOff:
    @pytest.fixture
    def settings(self, settings: Settings, site: PageServer) -> Settings:
        return settings.replace(
            preview_cards=False,
            preview_cards_allow_loopback=True,
            preview_cards_allowed_ports=f"80,443,{site.port}",
        )

    async def test_nothing_is_fetched_and_no_link_trends(
        self, client: httpx.AsyncClient, site: PageServer
    ) -> None:
        assert await posted_card(client, site) is None
        assert sum(site.hits.values()) == 0
        assert (await client.get("/api/v1/trends/links")).json() == []


def test_the_ports_setting_is_validated() -> None:
    with pytest.raises(ValueError, match="GODWIT_PREVIEW_CARDS_ALLOWED_PORTS"):
        Settings.from_env({"GODWIT_PREVIEW_CARDS_ALLOWED_PORTS": "80,https"})
    assert Settings.from_env({"GODWIT_PREVIEW_CARDS": "off"}).preview_cards is False
