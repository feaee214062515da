"""The PreviewCard entity (``card`` on statuses) and Trends::Link, as Mastodon shows them.

Godwit never stores a third party's HTML: ``html`` and ``embed_url`` are always empty, as
Mastodon's are for "link" and "photo" cards without an oEmbed player.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from godwit.config import Settings
from godwit.domain.cards import PreviewCard, TrendingLink
from godwit.entities.common import iso_or_none


def render_card(card: PreviewCard, settings: Settings) -> dict[str, Any]:
    image = f"{settings.media_base_url}/{card.image_key}" if card.image_key else None
    return {
        "url": card.url,
        "title": card.title,
        "description": card.description,
        "language": card.language,
        "type": card.type.value,
        "author_name": card.author_name,
        "author_url": card.author_url,
        # Mastodon 4.3's list of authors; Godwit knows no fediverse account for them.
        "authors": (
            [{"name": card.author_name, "url": card.author_url, "account": None}]
            if card.author_url
            else []
        ),
        "provider_name": card.provider_name,
        "provider_url": card.provider_url,
        "html": "",
        "width": card.width if image else 0,
        "height": card.height if image else 0,
        "image": image,
        "image_description": "",
        "embed_url": "",
        "blurhash": card.blurhash if image else None,
        "published_at": iso_or_none(card.published_at),
    }


def render_trending_link(link: TrendingLink, settings: Settings) -> dict[str, Any]:
    entity = render_card(link.card, settings)
    entity["history"] = [
        {
            "day": str(int(use.day.timestamp())),
            "uses": str(use.uses),
            "accounts": str(use.accounts),
        }
        for use in link.history
    ]
    return entity


def render_trending_links(
    links: Sequence[TrendingLink], settings: Settings
) -> list[dict[str, Any]]:
    return [render_trending_link(link, settings) for link in links]
