"""Members' filters: CRUD for v2 filters, their keywords and statuses, and the v1 view.

A v1 filter is one keyword of a v2 filter, as Mastodon maps them since 4.0: its id is the
keyword's id, its phrase the keyword, and ``irreversible`` means the "hide" action. Every
change tells the member's user streams ("filters_changed") once it commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from godwit.domain.errors import Invalid, NotFound
from godwit.domain.filters import (
    MAX_FILTERS_PER_ACCOUNT,
    MAX_KEYWORDS_PER_FILTER,
    MAX_STATUSES_PER_FILTER,
    Filter,
    FilterKeyword,
    FilterStatus,
    KeywordChange,
    check_keyword,
    check_title,
    expiry,
    parse_action,
    parse_context,
)
from godwit.domain.ids import new_id
from godwit.domain.streaming import filters_changed_event
from godwit.ports.store import Store, Transaction
from godwit.services.presenting import present_status


def current_time() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class FilterChanges:
    """What a create or update sends; None leaves a field as it is (or takes the default)."""

    title: str | None = None
    context: Sequence[str] | None = None
    action: str | None = None
    expires_in: int | None = None
    expires_in_given: bool = False  # an empty expires_in clears the expiry
    keywords: Sequence[KeywordChange] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class V1Filter:
    """One keyword of a filter, as the v1 API shows it."""

    keyword: FilterKeyword
    filter: Filter


def _ordered_ids(count: int) -> list[int]:
    """Fresh ids in ascending order: ids made in the same millisecond are not, and
    keywords are listed by id, in the order they were sent."""
    return sorted(new_id() for _ in range(count))


def _v1_views(flt: Filter) -> list[V1Filter]:
    return [V1Filter(keyword=keyword, filter=flt) for keyword in flt.keywords]


class FilterService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --- v2 filters --------------------------------------------------------------------

    async def list_filters(self, account_id: int) -> list[Filter]:
        async with self.store.read() as tx:
            return await tx.filters.list_for(account_id)

    async def get(self, account_id: int, filter_id: int) -> Filter:
        async with self.store.read() as tx:
            return await self._own(tx, account_id, filter_id)

    async def create(self, account_id: int, changes: FilterChanges) -> Filter:
        now = current_time()
        filter_id = new_id()
        wanted = [change for change in changes.keywords if not change.destroy]
        keywords = [
            FilterKeyword(
                keyword_id,
                filter_id,
                check_keyword(change.keyword or ""),
                True if change.whole_word is None else change.whole_word,
            )
            for keyword_id, change in zip(_ordered_ids(len(wanted)), wanted, strict=True)
        ]
        if len(keywords) > MAX_KEYWORDS_PER_FILTER:
            raise _too_many("keywords_attributes", MAX_KEYWORDS_PER_FILTER)
        flt = Filter(
            id=filter_id,
            account_id=account_id,
            title=check_title(changes.title or ""),
            context=parse_context(changes.context or ()),
            action=parse_action(changes.action),
            expires_at=expiry(changes.expires_in, now),
            created_at=now,
            keywords=tuple(keywords),
        )
        async with self.store.write() as tx:
            if await tx.filters.count_for(account_id) >= MAX_FILTERS_PER_ACCOUNT:
                raise _too_many("filters", MAX_FILTERS_PER_ACCOUNT)
            await tx.filters.create(flt)
            tx.events.emit(filters_changed_event(account_id))
            return await self._own(tx, account_id, filter_id)

    async def update(self, account_id: int, filter_id: int, changes: FilterChanges) -> Filter:
        now = current_time()
        async with self.store.write() as tx:
            flt = await self._own(tx, account_id, filter_id)
            await tx.filters.update(
                filter_id,
                title=check_title(changes.title) if changes.title is not None else flt.title,
                context=(
                    parse_context(changes.context) if changes.context is not None else flt.context
                ),
                action=parse_action(changes.action, flt.action),
                expires_at=(
                    expiry(changes.expires_in, now) if changes.expires_in_given else flt.expires_at
                ),
            )
            await self._apply_keyword_changes(tx, flt, changes.keywords, now)
            tx.events.emit(filters_changed_event(account_id))
            return await self._own(tx, account_id, filter_id)

    async def _apply_keyword_changes(
        self, tx: Transaction, flt: Filter, changes: Sequence[KeywordChange], now: dt.datetime
    ) -> None:
        existing = {keyword.id: keyword for keyword in flt.keywords}
        removed = []
        added = 0
        fresh_ids = iter(_ordered_ids(len(changes)))
        for change in changes:
            if change.id is None:
                if change.destroy:
                    continue
                whole_word = True if change.whole_word is None else change.whole_word
                keyword = FilterKeyword(
                    next(fresh_ids), flt.id, check_keyword(change.keyword or ""), whole_word
                )
                await tx.filters.add_keyword(keyword, now)
                added += 1
                continue
            current = existing.get(change.id)
            if current is None:
                raise NotFound()
            if change.destroy:
                removed.append(current.id)
                continue
            await tx.filters.update_keyword(
                current.id,
                check_keyword(change.keyword) if change.keyword is not None else current.keyword,
                current.whole_word if change.whole_word is None else change.whole_word,
            )
        await tx.filters.delete_keywords(flt.id, removed)
        if len(existing) - len(removed) + added > MAX_KEYWORDS_PER_FILTER:
            raise _too_many("keywords_attributes", MAX_KEYWORDS_PER_FILTER)

    async def delete(self, account_id: int, filter_id: int) -> None:
        async with self.store.write() as tx:
            await self._own(tx, account_id, filter_id)
            await tx.filters.delete(filter_id)
            tx.events.emit(filters_changed_event(account_id))

    # --- keywords ------------------------------------------------------------------------

    async def add_keyword(
        self, account_id: int, filter_id: int, keyword: str, whole_word: bool | None
    ) -> FilterKeyword:
        entry = FilterKeyword(
            new_id(), filter_id, check_keyword(keyword), True if whole_word is None else whole_word
        )
        async with self.store.write() as tx:
            flt = await self._own(tx, account_id, filter_id)
            if len(flt.keywords) >= MAX_KEYWORDS_PER_FILTER:
                raise _too_many("keyword", MAX_KEYWORDS_PER_FILTER)
            await tx.filters.add_keyword(entry, current_time())
            tx.events.emit(filters_changed_event(account_id))
            return entry

    async def get_keyword(self, account_id: int, keyword_id: int) -> FilterKeyword:
        async with self.store.read() as tx:
            return await self._own_keyword(tx, account_id, keyword_id)

    async def update_keyword(
        self, account_id: int, keyword_id: int, keyword: str | None, whole_word: bool | None
    ) -> FilterKeyword:
        async with self.store.write() as tx:
            current = await self._own_keyword(tx, account_id, keyword_id)
            updated = FilterKeyword(
                current.id,
                current.filter_id,
                check_keyword(keyword) if keyword is not None else current.keyword,
                current.whole_word if whole_word is None else whole_word,
            )
            await tx.filters.update_keyword(keyword_id, updated.keyword, updated.whole_word)
            tx.events.emit(filters_changed_event(account_id))
            return updated

    async def delete_keyword(self, account_id: int, keyword_id: int) -> None:
        async with self.store.write() as tx:
            current = await self._own_keyword(tx, account_id, keyword_id)
            await tx.filters.delete_keywords(current.filter_id, [keyword_id])
            tx.events.emit(filters_changed_event(account_id))

    # --- statuses ------------------------------------------------------------------------

    async def add_status(self, account_id: int, filter_id: int, status_id: int) -> FilterStatus:
        async with self.store.write() as tx:
            flt = await self._own(tx, account_id, filter_id)
            await present_status(tx, status_id, account_id)  # 404 unless the member sees it
            if any(entry.status_id == status_id for entry in flt.statuses):
                raise Invalid(
                    "Validation failed: Status has already been taken",
                    {"status_id": [("ERR_TAKEN", "has already been taken")]},
                )
            if len(flt.statuses) >= MAX_STATUSES_PER_FILTER:
                raise _too_many("status_id", MAX_STATUSES_PER_FILTER)
            entry = FilterStatus(new_id(), filter_id, status_id)
            await tx.filters.add_status(entry, current_time())
            tx.events.emit(filters_changed_event(account_id))
            return entry

    async def get_status(self, account_id: int, filter_status_id: int) -> FilterStatus:
        async with self.store.read() as tx:
            return await self._own_status(tx, account_id, filter_status_id)

    async def delete_status(self, account_id: int, filter_status_id: int) -> FilterStatus:
        async with self.store.write() as tx:
            entry = await self._own_status(tx, account_id, filter_status_id)
            await tx.filters.delete_status(filter_status_id)
            tx.events.emit(filters_changed_event(account_id))
            return entry

    # --- v1 --------------------------------------------------------------------------------

    async def list_v1(self, account_id: int) -> list[V1Filter]:
        return [view for flt in await self.list_filters(account_id) for view in _v1_views(flt)]

    async def get_v1(self, account_id: int, keyword_id: int) -> V1Filter:
        async with self.store.read() as tx:
            return await self._own_v1(tx, account_id, keyword_id)

    async def create_v1(
        self,
        account_id: int,
        *,
        phrase: str,
        context: Sequence[str],
        hide: bool,
        whole_word: bool | None,
        expires_in: int | None,
    ) -> V1Filter:
        flt = await self.create(
            account_id,
            FilterChanges(
                title=phrase,
                context=context,
                action="hide" if hide else "warn",
                expires_in=expires_in,
                keywords=(KeywordChange(None, phrase, whole_word),),
            ),
        )
        return _v1_views(flt)[0]

    async def update_v1(
        self,
        account_id: int,
        keyword_id: int,
        *,
        phrase: str | None,
        context: Sequence[str] | None,
        hide: bool | None,
        whole_word: bool | None,
        expires_in: int | None,
        expires_in_given: bool,
    ) -> V1Filter:
        now = current_time()
        async with self.store.write() as tx:
            view = await self._own_v1(tx, account_id, keyword_id)
            flt = view.filter
            if hide is None:
                action = flt.action
            else:
                # irreversible=false keeps blur, as a v2 client may have set it.
                action = "hide" if hide else ("warn" if flt.action == "hide" else flt.action)
            await tx.filters.update(
                flt.id,
                title=flt.title,
                context=parse_context(context) if context is not None else flt.context,
                action=action,
                expires_at=expiry(expires_in, now) if expires_in_given else flt.expires_at,
            )
            await tx.filters.update_keyword(
                keyword_id,
                check_keyword(phrase) if phrase is not None else view.keyword.keyword,
                view.keyword.whole_word if whole_word is None else whole_word,
            )
            tx.events.emit(filters_changed_event(account_id))
            return await self._own_v1(tx, account_id, keyword_id)

    async def delete_v1(self, account_id: int, keyword_id: int) -> None:
        """Remove the keyword, and its filter when nothing else is left in it."""
        async with self.store.write() as tx:
            view = await self._own_v1(tx, account_id, keyword_id)
            if len(view.filter.keywords) == 1 and not view.filter.statuses:
                await tx.filters.delete(view.filter.id)
            else:
                await tx.filters.delete_keywords(view.filter.id, [keyword_id])
            tx.events.emit(filters_changed_event(account_id))

    # --- ownership -----------------------------------------------------------------------

    async def _own(self, tx: Transaction, account_id: int, filter_id: int) -> Filter:
        flt = await tx.filters.get(filter_id)
        if flt is None or flt.account_id != account_id:
            raise NotFound()
        return flt

    async def _own_keyword(
        self, tx: Transaction, account_id: int, keyword_id: int
    ) -> FilterKeyword:
        keyword = await tx.filters.get_keyword(keyword_id)
        if keyword is None:
            raise NotFound()
        await self._own(tx, account_id, keyword.filter_id)
        return keyword

    async def _own_status(
        self, tx: Transaction, account_id: int, filter_status_id: int
    ) -> FilterStatus:
        entry = await tx.filters.get_status(filter_status_id)
        if entry is None:
            raise NotFound()
        await self._own(tx, account_id, entry.filter_id)
        return entry

    async def _own_v1(self, tx: Transaction, account_id: int, keyword_id: int) -> V1Filter:
        keyword = await self._own_keyword(tx, account_id, keyword_id)
        flt = await self._own(tx, account_id, keyword.filter_id)
        current = next(k for k in flt.keywords if k.id == keyword_id)
        return V1Filter(keyword=current, filter=flt)


def _too_many(name: str, limit: int) -> Invalid:
    return Invalid(
        f"Validation failed: {name} exceeds the limit of {limit}",
        {name: [("ERR_TOO_MANY", f"exceeds the limit of {limit}")]},
    )
