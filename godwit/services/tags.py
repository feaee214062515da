"""Hashtags members act on: follow (posts reach the home feed), feature on a profile, and
the tags trending from recent use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from godwit.config import Settings
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import new_id
from godwit.domain.jobs import PermanentJobError
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import Visibility
from godwit.domain.streaming import UPDATE, StreamEvent, user_channel
from godwit.domain.tags import (
    MAX_FEATURED_TAGS,
    FeaturedTag,
    Tag,
    TagView,
    fill_history,
    history_days,
    trend_score,
    valid_tag_name,
)
from godwit.domain.timelines import FeedEntry
from godwit.ports.store import Store, Transaction
from godwit.services.jobs import current_job_id

TAG_FANOUT_JOB = "status.fanout_tags"
# Tags considered for trends: the most used in the window, before scoring.
TREND_CANDIDATES = 200
FEATURED_SUGGESTIONS = 10


@dataclass(frozen=True, slots=True)
class FollowedTag:
    cursor: int
    view: TagView


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def tag_views(
    tx: Transaction, found: Sequence[Tag], viewer_id: int | None, now: dt.datetime
) -> list[TagView]:
    """Tags with their week of history and the viewer's following/featuring flags, in at
    most four queries whatever their number."""
    if not found:
        return []
    ids = [tag.id for tag in found]
    days = history_days(now)
    usage = {use.tag_id: use for use in await tx.tags.usage(ids, days, len(ids))}
    following: set[int] = set()
    featuring: set[int] = set()
    if viewer_id is not None:
        following = await tx.tags.followed_among(viewer_id, ids)
        featuring = await tx.tags.featured_among(viewer_id, ids)
    return [
        TagView(
            tag=tag,
            history=fill_history(usage[tag.id].by_day if tag.id in usage else {}, now),
            following=tag.id in following if viewer_id is not None else None,
            featuring=tag.id in featuring if viewer_id is not None else None,
        )
        for tag in found
    ]


class TagService:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    # -- following -----------------------------------------------------------------------

    async def follow(self, viewer_id: int, name: str) -> TagView:
        """Following a tag nobody used yet creates it, as in Mastodon."""
        valid = valid_tag_name(name)
        now = _now()
        async with self.store.write() as tx:
            tag = await tx.tags.find_or_create(valid, now)
            await tx.tags.follow(viewer_id, tag.id, now)
            return (await tag_views(tx, [tag], viewer_id, now))[0]

    async def unfollow(self, viewer_id: int, name: str) -> TagView:
        valid = valid_tag_name(name)
        now = _now()
        async with self.store.write() as tx:
            tag = await tx.tags.find_or_create(valid, now)
            await tx.tags.unfollow(viewer_id, tag.id)
            return (await tag_views(tx, [tag], viewer_id, now))[0]

    async def followed(self, viewer_id: int, page: PageRequest) -> list[FollowedTag]:
        async with self.store.read() as tx:
            rows = await tx.tags.followed_page(viewer_id, page)
            views = await tag_views(tx, [tag for _, tag in rows], viewer_id, _now())
        return [FollowedTag(cursor, view) for (cursor, _), view in zip(rows, views, strict=True)]

    async def handle_status_fanout_tags(self, payload: dict[str, Any]) -> None:
        """The "status.fanout_tags" job: {"status_id", optional "after_account_id"}. A public
        post reaches the home feed of local members following any of its tags, one batch
        per transaction (with its continuation), as the follower fan-out does."""
        status_id = payload.get("status_id")
        after = payload.get("after_account_id")
        if not isinstance(status_id, int) or not (after is None or isinstance(after, int)):
            raise PermanentJobError(f"bad status.fanout_tags payload {payload!r}")
        async with self.store.write() as tx:
            status = await tx.statuses.get(status_id)
            if status is not None and status.visibility is Visibility.PUBLIC:
                batch_size = max(1, self.settings.fanout_batch_size)
                readers = await tx.tags.local_followers_of_status_tags(status_id, after, batch_size)
                if len(readers) == batch_size:
                    await tx.jobs.enqueue(
                        TAG_FANOUT_JOB, {"status_id": status_id, "after_account_id": readers[-1]}
                    )
                await self._deliver(tx, status_id, status.account_id, readers)
            job_id = current_job_id()
            if job_id is not None:
                await tx.jobs.complete(job_id)

    async def _deliver(
        self, tx: Transaction, status_id: int, author_id: int, readers: Sequence[int]
    ) -> None:
        others = [reader for reader in readers if reader != author_id]
        if not others:
            return
        shuns = await tx.feeds.shunned_by(others, [author_id])
        blocked_domain = await tx.domain_blocks.readers_blocking_domain_of(others, author_id)
        entries = [
            FeedEntry(reader, status_id, status_id, author_id)
            for reader in others
            if not shuns.get(reader) and reader not in blocked_domain
        ]
        if entries:
            await tx.feeds.add_entries(entries)
            # Their home streams get it too (a repeat of the follow fan-out is dropped there).
            tx.events.emit(
                *(StreamEvent(user_channel(e.reader_id), UPDATE, status_id) for e in entries)
            )

    # -- featuring -----------------------------------------------------------------------

    async def featured(self, account_id: int) -> list[FeaturedTag]:
        async with self.store.read() as tx:
            account = await tx.accounts.get(account_id)
            if account is None or account.suspended:
                raise NotFound()
            return await tx.tags.featured(account_id)

    async def feature(self, viewer_id: int, name: str) -> FeaturedTag:
        valid = valid_tag_name(name)
        now = _now()
        async with self.store.write() as tx:
            if await tx.tags.featured_count(viewer_id) >= MAX_FEATURED_TAGS:
                raise Invalid(
                    f"Validation failed: you can feature at most {MAX_FEATURED_TAGS} hashtags",
                    {"name": [("ERR_TOO_MANY", f"at most {MAX_FEATURED_TAGS} featured")]},
                )
            tag = await tx.tags.find_or_create(valid, now)
            if not await tx.tags.add_featured(new_id(), viewer_id, tag.id, now):
                raise Invalid(
                    "Validation failed: Tag is already featured",
                    {"name": [("ERR_TAKEN", "is already featured")]},
                )
            return next(item for item in await tx.tags.featured(viewer_id) if item.tag.id == tag.id)

    async def unfeature(self, viewer_id: int, featured_id: int) -> None:
        async with self.store.write() as tx:
            if not await tx.tags.remove_featured(viewer_id, featured_id):
                raise NotFound()

    async def feature_by_name(self, viewer_id: int, name: str) -> TagView:
        """POST /api/v1/tags/:name/feature (Mastodon 4.4): featuring an already featured tag
        changes nothing; answers the tag with ``featuring``."""
        valid = valid_tag_name(name)
        now = _now()
        async with self.store.write() as tx:
            tag = await tx.tags.find_or_create(valid, now)
            if not await tx.tags.featured_among(viewer_id, [tag.id]):
                if await tx.tags.featured_count(viewer_id) >= MAX_FEATURED_TAGS:
                    raise Invalid(
                        f"Validation failed: you can feature at most {MAX_FEATURED_TAGS} hashtags",
                        {"name": [("ERR_TOO_MANY", f"at most {MAX_FEATURED_TAGS} featured")]},
                    )
                await tx.tags.add_featured(new_id(), viewer_id, tag.id, now)
            return (await tag_views(tx, [tag], viewer_id, now))[0]

    async def unfeature_by_name(self, viewer_id: int, name: str) -> TagView:
        """POST /api/v1/tags/:name/unfeature (Mastodon 4.4); a tag not featured is fine."""
        valid = valid_tag_name(name)
        now = _now()
        async with self.store.write() as tx:
            tag = await tx.tags.find_or_create(valid, now)
            for item in await tx.tags.featured(viewer_id):
                if item.tag.id == tag.id:
                    await tx.tags.remove_featured(viewer_id, item.id)
            return (await tag_views(tx, [tag], viewer_id, now))[0]

    async def feature_suggestions(self, viewer_id: int) -> list[TagView]:
        """The viewer's most used tags that are not featured yet."""
        async with self.store.read() as tx:
            used = await tx.tags.most_used_by(viewer_id, FEATURED_SUGGESTIONS + MAX_FEATURED_TAGS)
            featured = await tx.tags.featured_among(viewer_id, [tag.id for tag in used])
            chosen = [tag for tag in used if tag.id not in featured][:FEATURED_SUGGESTIONS]
            return await tag_views(tx, chosen, viewer_id, _now())

    # -- trends --------------------------------------------------------------------------

    async def trending(self, viewer_id: int | None, offset: int, limit: int) -> list[TagView]:
        """Tags by trend score over the window; only public posts of discoverable accounts
        count, so nothing private or opted-out can trend."""
        now = _now()
        async with self.store.read() as tx:
            usage = await tx.tags.usage(None, history_days(now), TREND_CANDIDATES)
            ranked = sorted(usage, key=lambda use: (-trend_score(use, now), use.tag_id))
            chosen = ranked[offset : offset + limit]
            found = await tx.tags.get_many([use.tag_id for use in chosen])
            tags = [found[use.tag_id] for use in chosen if use.tag_id in found]
            return await tag_views(tx, tags, viewer_id, now)
