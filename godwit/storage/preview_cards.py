"""SQL repository for preview cards: the cache per normalised URL, the status → card link,
and the figures links trend by (SQL aggregates over one bounded window, as tag trends)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    distinct,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.cards import NEVER_FETCHED, CardDraft, CardType, LinkUsage, PreviewCard
from godwit.domain.ids import IdGenerator, new_id
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import Visibility
from godwit.storage.schema import accounts, preview_cards, status_preview_cards, statuses


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def _card(row: Any) -> PreviewCard:
    return PreviewCard(
        id=row.id,
        url=row.url,
        title=row.title,
        description=row.description,
        type=CardType(row.type) if row.type in CardType._value2member_map_ else CardType.LINK,
        author_name=row.author_name,
        author_url=row.author_url,
        provider_name=row.provider_name,
        provider_url=row.provider_url,
        image_key=row.image_key,
        width=row.width,
        height=row.height,
        blurhash=row.blurhash,
        language=row.language,
        published_at=row.published_at,
        usable=bool(row.usable),
        fetched_at=row.fetched_at,
        fetch_token=row.fetch_token,
        fetch_until=row.fetch_until,
    )


def _values(draft: CardDraft, now: dt.datetime) -> dict[str, Any]:
    image = draft.image
    return {
        "url": draft.url,
        "usable": draft.usable,
        "type": draft.type.value,
        "title": draft.title,
        "description": draft.description,
        "author_name": draft.author_name,
        "author_url": draft.author_url,
        "provider_name": draft.provider_name,
        "provider_url": draft.provider_url,
        "image_key": image.key if image else None,
        "width": image.width if image else 0,
        "height": image.height if image else 0,
        "blurhash": image.blurhash if image else None,
        "language": draft.language,
        "published_at": draft.published_at,
        "fetched_at": now,
    }


def _shared_publicly(since_id: int | None = None) -> list[ColumnElement[bool]]:
    """Public original posts of discoverable local accounts that are neither suspended nor
    limited, showing a usable card (statuses, accounts and preview_cards joined)."""
    conditions = [
        statuses.c.visibility == Visibility.PUBLIC.value,
        statuses.c.reblog_of_id.is_(None),
        accounts.c.domain == "",
        accounts.c.discoverable.is_(True),
        accounts.c.suspended_at.is_(None),
        accounts.c.silenced_at.is_(None),
        preview_cards.c.usable.is_(True),
    ]
    if since_id is not None:
        conditions.append(statuses.c.id >= since_id)
    return conditions


def _shared_from() -> Any:
    return (
        status_preview_cards.join(statuses, statuses.c.id == status_preview_cards.c.status_id)
        .join(accounts, accounts.c.id == statuses.c.account_id)
        .join(preview_cards, preview_cards.c.id == status_preview_cards.c.card_id)
    )


class SqlPreviewCards:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def find(self, url: str) -> PreviewCard | None:
        row = (
            await self.conn.execute(
                select(preview_cards).where(preview_cards.c.url_hash == url_hash(url))
            )
        ).first()
        return _card(row) if row is not None else None

    async def lock(self, url: str, now: dt.datetime) -> PreviewCard:
        # Select, else insert; a concurrent insert of the same URL makes ours fail on the
        # unique url_hash once it commits (PostgreSQL waits for it), and then its row is read.
        for _attempt in range(3):
            row = (
                await self.conn.execute(
                    select(preview_cards)
                    .where(preview_cards.c.url_hash == url_hash(url))
                    .with_for_update()  # SQLite ignores it: its writers are serialised
                )
            ).first()
            if row is not None:
                return _card(row)
            with contextlib.suppress(IntegrityError):
                async with self.conn.begin_nested():  # PostgreSQL stays usable after a clash
                    await self.conn.execute(
                        insert(preview_cards).values(
                            id=new_id(),
                            url_hash=url_hash(url),
                            url=url,
                            usable=False,
                            fetched_at=NEVER_FETCHED,
                            created_at=now,
                        )
                    )
        raise RuntimeError(f"could not lock the card of {url!r}")

    async def begin_fetch(self, card_id: int, token: str, until: dt.datetime) -> None:
        await self.conn.execute(
            update(preview_cards)
            .where(preview_cards.c.id == card_id)
            .values(fetch_token=token, fetch_until=until)
        )

    async def finish_fetch(
        self, card_id: int, token: str, draft: CardDraft, now: dt.datetime
    ) -> tuple[bool, str | None]:
        row = (
            await self.conn.execute(
                select(preview_cards.c.image_key, preview_cards.c.fetch_token)
                .where(preview_cards.c.id == card_id)
                .with_for_update()
            )
        ).first()
        if row is None or row.fetch_token != token:
            return False, None
        values = _values(draft, now)
        await self.conn.execute(
            update(preview_cards)
            .where(preview_cards.c.id == card_id)
            .values(fetch_token=None, fetch_until=None, **values)
        )
        replaced = row.image_key if row.image_key not in (None, values["image_key"]) else None
        return True, replaced

    async def prune(
        self,
        usable_before: dt.datetime,
        failed_before: dt.datetime,
        now: dt.datetime,
        limit: int,
    ) -> list[str]:
        unused = ~exists().where(status_preview_cards.c.card_id == preview_cards.c.id)
        usable = preview_cards.c.usable
        fetched_at = preview_cards.c.fetched_at
        # Rows a job holds (a claim, or a link being inserted) are skipped; the locks taken
        # here keep new links off the chosen ones until they are gone.
        chosen = [
            row.id
            for row in await self.conn.execute(
                select(preview_cards.c.id)
                .where(
                    unused,
                    or_(
                        and_(usable.is_(True), fetched_at < usable_before),
                        and_(usable.is_(False), fetched_at < failed_before),
                    ),
                    or_(preview_cards.c.fetch_until.is_(None), preview_cards.c.fetch_until < now),
                )
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ]
        if not chosen:
            return []
        deleted = await self.conn.execute(
            delete(preview_cards)
            .where(preview_cards.c.id.in_(chosen), unused)  # checked again, now they are held
            .returning(preview_cards.c.image_key)
        )
        return [row.image_key for row in deleted if row.image_key]

    async def link(self, status_id: int, card_id: int) -> bool:
        await self.unlink(status_id)
        # INSERT ... SELECT WHERE EXISTS: a post deleted since the job read it (a concurrent,
        # already committed delete) gets no link, rather than a foreign-key error.
        still_there = select(
            literal(status_id).label("status_id"), literal(card_id).label("card_id")
        ).where(exists().where(statuses.c.id == status_id))
        try:
            # A savepoint: on PostgreSQL a delete still uncommitted when this statement began
            # commits while its foreign-key check waits, which raises; the post is gone.
            async with self.conn.begin_nested():
                result = await self.conn.execute(
                    insert(status_preview_cards).from_select(["status_id", "card_id"], still_there)
                )
        except IntegrityError:
            return False
        return bool(result.rowcount)

    async def unlink(self, status_id: int) -> None:
        await self.conn.execute(
            delete(status_preview_cards).where(status_preview_cards.c.status_id == status_id)
        )

    async def for_statuses(self, status_ids: Sequence[int]) -> dict[int, PreviewCard]:
        if not status_ids:
            return {}
        rows = await self.conn.execute(
            select(status_preview_cards.c.status_id.label("shown_by"), preview_cards)
            .join(preview_cards, preview_cards.c.id == status_preview_cards.c.card_id)
            .where(
                status_preview_cards.c.status_id.in_(sorted(set(status_ids))),
                preview_cards.c.usable.is_(True),
            )
        )
        return {row.shown_by: _card(row) for row in rows}

    async def get_many(self, card_ids: Sequence[int]) -> dict[int, PreviewCard]:
        if not card_ids:
            return {}
        rows = await self.conn.execute(
            select(preview_cards).where(preview_cards.c.id.in_(sorted(set(card_ids))))
        )
        return {row.id: _card(row) for row in rows}

    async def usage(
        self, card_ids: Sequence[int] | None, days: Sequence[dt.datetime], limit: int
    ) -> list[LinkUsage]:
        if not days:
            return []
        since_id = IdGenerator.lower_bound_for(int(days[-1].timestamp() * 1000))
        card = status_preview_cards.c.card_id
        base = select(card).select_from(_shared_from()).where(*_shared_publicly(since_id))
        if card_ids is None:
            people = func.count(distinct(statuses.c.account_id)).label("people")
            top = await self.conn.execute(
                base.add_columns(people).group_by(card).order_by(people.desc(), card).limit(limit)
            )
            wanted = [row.card_id for row in top]
        else:
            wanted = list(dict.fromkeys(card_ids))[:limit]
        if not wanted:
            return []
        # The day bucket is computed in a subquery so that PostgreSQL groups by a column.
        bucket = case(
            *[(statuses.c.created_at >= day, index) for index, day in enumerate(days)],
            else_=len(days) - 1,
        ).label("bucket")
        uses_of = base.add_columns(statuses.c.account_id, bucket).where(card.in_(wanted)).subquery()
        by_day: dict[int, dict[dt.datetime, tuple[int, int]]] = {card_id: {} for card_id in wanted}
        rows = await self.conn.execute(
            select(
                uses_of.c.card_id,
                uses_of.c.bucket,
                func.count().label("uses"),
                func.count(distinct(uses_of.c.account_id)).label("people"),
            ).group_by(uses_of.c.card_id, uses_of.c.bucket)
        )
        for row in rows:
            by_day[row.card_id][days[int(row.bucket)]] = (int(row.uses), int(row.people))
        totals = await self.conn.execute(
            select(
                uses_of.c.card_id, func.count(distinct(uses_of.c.account_id)).label("people")
            ).group_by(uses_of.c.card_id)
        )
        people_by_card = {row.card_id: int(row.people) for row in totals}
        return [
            LinkUsage(
                card_id=card_id, by_day=by_day[card_id], accounts=people_by_card.get(card_id, 0)
            )
            for card_id in wanted
            if people_by_card.get(card_id)
        ]

    async def status_ids(self, card_id: int, page: PageRequest) -> list[int]:
        cursor = statuses.c.id
        query = (
            select(cursor)
            .select_from(_shared_from())
            .where(status_preview_cards.c.card_id == card_id, *_shared_publicly())
        )
        if page.max_id is not None:
            query = query.where(cursor < page.max_id)
        if page.lower is not None:
            query = query.where(cursor > page.lower)
        query = query.order_by(cursor.asc() if page.ascending else cursor.desc())
        ids = [row[0] for row in await self.conn.execute(query.limit(page.limit))]
        return ids[::-1] if page.ascending else ids
