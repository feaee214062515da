"""Preview cards for links in local posts.

Posting (or editing) a post whose text has a link queues the ``status.preview_card`` job in
the posting transaction. The job takes the first link that is not a mention, a hashtag or a
page of this server, locks the card row of that URL (made when missing) and links the post
to it. When the card is stale and no other job is fetching it, the job claims the fetch
(for ``FETCH_LEASE``) and, outside any transaction, fetches the page through the
``LinkFetcher`` port (public addresses only), builds the card from the page's meta tags and
runs its image through the media pipeline (metadata stripped, scaled down, blurhash) into
the media store under a key of its own; then it saves the card, only if its claim still
holds. So concurrent jobs for one URL fetch it once, and a card never refers to a file that
is deleted: an image is deleted only after the commit that stopped the card referring to
it (a refreshed card's old image after a grace period), or never referred to at all. A page
that gives no card is cached too, as unusable, so it is not fetched again for every post.
The job is idempotent: its claim is its job id, so a run after a crash takes it back.

Stale cards that no post shows any more are deleted with their images by the
``preview_cards.prune`` job, queued (delayed, one at a time) after fetches.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from typing import Any

from godwit.config import Settings
from godwit.domain.cards import (
    CARD_JOB,
    FETCH_LEASE,
    PRUNE_BATCH,
    PRUNE_CARDS_JOB,
    PRUNE_INTERVAL,
    REPLACED_IMAGE_GRACE,
    CardDraft,
    CardImage,
    FetchedKind,
    needs_fetch,
    page_draft,
    photo_draft,
    stale_before,
)
from godwit.domain.errors import Invalid
from godwit.domain.ids import new_id, parse_id
from godwit.domain.jobs import PermanentJobError
from godwit.domain.links import LinkFetchError, card_link
from godwit.domain.media import AnimatedImage, ImagePurpose, extension_for
from godwit.ports.links import LinkFetcher
from godwit.ports.media import ImageProcessor, MediaStore
from godwit.ports.store import Store, Transaction
from godwit.services.jobs import current_job_id
from godwit.services.media import DELETE_FILES_JOB

log = logging.getLogger("godwit.cards")

CARD_IMAGE_PREFIX = "cards/"
# A prune job's batches at most (more wait for the next one).
MAX_PRUNE_BATCHES = 20


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _fetch_token() -> str:
    """Who claims a URL's fetch: the job, so that the job run again after a crash takes its
    own claim back at once; a one-off token outside a job."""
    job_id = current_job_id()
    return f"job:{job_id}" if job_id is not None else f"run:{new_id()}"


async def request_preview_card(
    tx: Transaction, settings: Settings, status_id: int, text: str, *, edited: bool = False
) -> None:
    """In the transaction that posts (or edits) a local status: queue the card's fetch when
    the text has a link. An edit that removed every link drops the card at once."""
    if not settings.preview_cards:
        return
    if card_link(text, settings.domain) is not None:
        await tx.jobs.enqueue(CARD_JOB, {"status_id": status_id})
    elif edited:
        await tx.preview_cards.unlink(status_id)


class PreviewCardService:
    def __init__(
        self,
        store: Store,
        fetcher: LinkFetcher,
        images: ImageProcessor,
        files: MediaStore,
        settings: Settings,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.images = images
        self.files = files
        self.settings = settings
        self._prune_queued_at: float | None = None  # monotonic

    async def handle_fetch(self, payload: dict[str, Any]) -> None:
        """The ``status.preview_card`` job: {"status_id"}."""
        status_id = parse_id(payload.get("status_id"))
        if status_id is None:
            raise PermanentJobError(f"bad {CARD_JOB} payload {payload!r}")
        if not self.settings.preview_cards:
            return
        token = _fetch_token()
        async with self.store.write() as tx:
            # The post's current text, and the card row of its link locked: concurrent jobs
            # for one URL take turns here, and only the first one to find it stale fetches.
            status = await tx.statuses.get(status_id)
            if status is None:
                return  # deleted since
            url = card_link(status.text, self.settings.domain) if status.local else None
            if url is None:
                await tx.preview_cards.unlink(status_id)
                return
            now = _now()
            card = await tx.preview_cards.lock(url, now)
            # The post shows the card from now on: at once when it is ready, else as soon
            # as the fetch (this job's, or the one under way) saves it.
            if not await tx.preview_cards.link(status_id, card.id):
                return  # deleted meanwhile
            if not needs_fetch(card, token, now):
                return
            await tx.preview_cards.begin_fetch(card.id, token, now + FETCH_LEASE)
        draft = await self._draft(url)
        stored = False
        try:
            async with self.store.write() as tx:
                saved, replaced = await tx.preview_cards.finish_fetch(card.id, token, draft, _now())
                if replaced is not None:  # deleted once nothing can show it any more
                    await tx.jobs.enqueue(
                        DELETE_FILES_JOB,
                        {"keys": [replaced]},
                        delay_seconds=REPLACED_IMAGE_GRACE.total_seconds(),
                    )
                if saved and self._prune_due():
                    await tx.jobs.enqueue(
                        PRUNE_CARDS_JOB, {}, delay_seconds=PRUNE_INTERVAL.total_seconds()
                    )
            stored = saved  # committed
        finally:
            # An image stored for a card that was not saved (a failure, or the claim lapsed
            # and another job's fetch took over): no card refers to its unique key.
            if not stored and draft.image is not None:
                await self.files.delete([draft.image.key])

    async def handle_prune(self, _payload: dict[str, Any]) -> None:
        """The ``preview_cards.prune`` job: delete stale cards that no post shows, and their
        images by a job that runs after the commit deleting the rows (their only users)."""
        for _batch in range(MAX_PRUNE_BATCHES):
            now = _now()
            usable_before, failed_before = stale_before(now)
            async with self.store.write() as tx:
                keys = await tx.preview_cards.prune(usable_before, failed_before, now, PRUNE_BATCH)
                if keys:
                    await tx.jobs.enqueue(DELETE_FILES_JOB, {"keys": keys})
            if len(keys) < PRUNE_BATCH:
                return

    def _prune_due(self) -> bool:
        """Whether this process queues a prune job now: at most once per interval (several
        processes may each queue one; pruning twice is harmless)."""
        now = time.monotonic()
        last = self._prune_queued_at
        if last is not None and now - last < PRUNE_INTERVAL.total_seconds():
            return False
        self._prune_queued_at = now
        return True

    async def _draft(self, url: str) -> CardDraft:
        try:
            fetched = await self.fetcher.fetch(url)
        except LinkFetchError as error:
            log.info("no preview card for %s: %s", url, error)
            return CardDraft(url=url, usable=False)
        if fetched.kind is FetchedKind.IMAGE:
            return photo_draft(url, fetched.final_url, await self._store_image(fetched.image))
        draft = page_draft(url, fetched.meta, None)
        image_url = fetched.meta.image_url
        if not draft.usable or image_url is None:
            return draft
        try:
            data = await self.fetcher.fetch_image(image_url)
        except LinkFetchError as error:
            log.info("no image for the card of %s: %s", url, error)
            return draft
        return dataclasses.replace(draft, image=await self._store_image(data))

    async def _store_image(self, data: bytes) -> CardImage | None:
        """The image decoded and re-encoded (no metadata), at most 640 pixels a side."""
        try:
            processed = await self.images.process(data, ImagePurpose.ATTACHMENT)
        except (Invalid, AnimatedImage) as error:
            log.info("card image refused: %s", error)
            return None
        key = f"{CARD_IMAGE_PREFIX}{new_id()}.{extension_for(processed.preview_content_type)}"
        await self.files.put(key, processed.preview, processed.preview_content_type)
        return CardImage(
            key=key,
            width=processed.preview_width,
            height=processed.preview_height,
            blurhash=processed.blurhash,
        )
