"""Links trending from recent use, and the posts sharing one link.

As tag trends (``godwit.services.tags``): only public original posts of discoverable local
accounts that are neither suspended nor limited count, over the last week; a link ranks by
how many distinct accounts shared it, then by its posts weighted by recency. Only links with
a usable preview card trend.
"""

from __future__ import annotations

import datetime as dt

from godwit.config import Settings
from godwit.domain.cards import TrendingLink, link_trend_key
from godwit.domain.errors import NotFound
from godwit.domain.links import normalise_url
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import StatusView
from godwit.domain.tags import fill_history, history_days
from godwit.ports.store import Store
from godwit.services.presenting import present_statuses

# Links considered for trends: those shared by the most accounts in the window.
TREND_CANDIDATES = 200


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class LinkService:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    async def trending(self, offset: int, limit: int) -> list[TrendingLink]:
        if not self.settings.preview_cards:
            return []
        now = _now()
        async with self.store.read() as tx:
            usage = await tx.preview_cards.usage(None, history_days(now), TREND_CANDIDATES)
            ranked = sorted(usage, key=lambda use: link_trend_key(use, now))
            chosen = ranked[offset : offset + limit]
            cards = await tx.preview_cards.get_many([use.card_id for use in chosen])
        return [
            TrendingLink(card=cards[use.card_id], history=fill_history(use.by_day, now))
            for use in chosen
            if use.card_id in cards
        ]

    async def timeline(
        self, url: str, viewer_id: int | None, page: PageRequest
    ) -> list[StatusView]:
        """Public posts showing the card of ``url``, through the one visibility path;
        an unknown link is not found, as in Mastodon."""
        normalised = normalise_url(url.strip())
        if normalised is None:
            raise NotFound()
        async with self.store.read() as tx:
            card = await tx.preview_cards.find(normalised)
            if card is None or not card.usable:
                raise NotFound()
            ids = await tx.preview_cards.status_ids(card.id, page)
            return await present_statuses(tx, ids, viewer_id, context="public")
