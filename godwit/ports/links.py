"""Ports of preview cards: fetching a link's page (an HTTP adapter with SSRF defence) and
the cards' rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.cards import CardDraft, FetchedLink, LinkUsage, PreviewCard
from godwit.domain.pagination import PageRequest


class LinkFetcher(Protocol):
    """Fetches public pages and images only: every connection and redirect is checked
    against the address rules of ``godwit.domain.links``."""

    async def fetch(self, url: str) -> FetchedLink:
        """The page's meta tags or the image's bytes; ``LinkFetchError`` (or its subclass
        ``ForbiddenDestination``) when there is nothing to preview."""
        ...

    async def fetch_image(self, url: str) -> bytes:
        """An image (within the size limit); ``LinkFetchError`` otherwise."""
        ...

    async def close(self) -> None: ...


class PreviewCardRepository(Protocol):
    async def find(self, url: str) -> PreviewCard | None:
        """The card cached for a normalised URL, usable or not."""
        ...

    async def lock(self, url: str, now: dt.datetime) -> PreviewCard:
        """The card row of a normalised URL, locked until the transaction ends (concurrent
        callers for one URL wait for each other); made when missing, unusable and never
        fetched."""
        ...

    async def begin_fetch(self, card_id: int, token: str, until: dt.datetime) -> None:
        """Claim the fetch of the (locked) card's URL for ``token`` until ``until``."""
        ...

    async def finish_fetch(
        self, card_id: int, token: str, draft: CardDraft, now: dt.datetime
    ) -> tuple[bool, str | None]:
        """Store a fetched draft in the card, only if ``token`` still holds its claim (which
        ends). Answers whether it was stored, and the image key the card held before when
        the draft replaced it by another (the caller deletes that file after the commit)."""
        ...

    async def prune(
        self,
        usable_before: dt.datetime,
        failed_before: dt.datetime,
        now: dt.datetime,
        limit: int,
    ) -> list[str]:
        """Delete up to ``limit`` cards that no status shows, stale (usable ones fetched
        before ``usable_before``, others before ``failed_before``) and not being fetched;
        answers their image keys (the caller deletes those files after the commit)."""
        ...

    async def link(self, status_id: int, card_id: int) -> bool:
        """The status shows this card (replacing any other); False when the status is gone."""
        ...

    async def unlink(self, status_id: int) -> None: ...

    async def for_statuses(self, status_ids: Sequence[int]) -> dict[int, PreviewCard]:
        """The usable card of each status that has one, in one query."""
        ...

    async def get_many(self, card_ids: Sequence[int]) -> dict[int, PreviewCard]: ...

    async def usage(
        self, card_ids: Sequence[int] | None, days: Sequence[dt.datetime], limit: int
    ) -> list[LinkUsage]:
        """Use of usable cards by public original posts of discoverable, active local
        accounts over ``days`` (today first): the given cards, or (None) the ``limit``
        shared by the most accounts."""
        ...

    async def status_ids(self, card_id: int, page: PageRequest) -> list[int]:
        """Public original posts of discoverable, active accounts showing the card, newest
        first."""
        ...
