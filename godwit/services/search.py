"""Search: accounts (by name, or exactly by address), statuses (full text) and hashtags,
and the hashtag entity.

Following Mastodon, full-text search of statuses and the ``offset`` parameter need a
signed-in member; ``resolve`` is accepted but nothing remote is fetched (no federation yet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from godwit.domain.accounts import Account
from godwit.domain.errors import NotFound, Unauthorized
from godwit.domain.posts import StatusView
from godwit.domain.search import (
    StatusSearch,
    TagSummary,
    history_days,
    parse_query,
    tag_query,
)
from godwit.domain.text import tag_key
from godwit.ports.store import Store, Transaction
from godwit.services.accounts import AccountService
from godwit.services.presenting import present_statuses

SEARCH_TYPES = ("accounts", "statuses", "hashtags")
MAX_OFFSET = 1_000  # deeper pages of a relevance ranking are not worth their cost


@dataclass(frozen=True, slots=True)
class SearchRequest:
    query: str
    type: str | None = None  # one of SEARCH_TYPES, or None for all three
    limit: int = 20
    offset: int = 0
    account_id: int | None = None
    following: bool = False
    resolve: bool = False
    # Statuses only, as in Mastodon: results older than max_id / newer than min_id.
    max_id: int | None = None
    min_id: int | None = None


@dataclass(slots=True)
class SearchResults:
    accounts: list[Account] = field(default_factory=list)
    statuses: list[StatusView] = field(default_factory=list)
    hashtags: list[TagSummary] = field(default_factory=list)


async def with_history(
    tx: Transaction, found: list[TagSummary], viewer_id: int | None = None
) -> list[TagSummary]:
    """The tags with their last days of use and, for a member, whether they follow each
    (one query each for the whole list)."""
    if not found:
        return []
    ids = [tag.id for tag in found]
    days = history_days(dt.datetime.now(dt.UTC).date())
    history = await tx.search.tag_history(ids, days)
    followed = await tx.tags.followed_among(viewer_id, ids) if viewer_id is not None else set()
    return [
        TagSummary(
            id=tag.id,
            name=tag.name,
            history=history[tag.id],
            following=tag.id in followed if viewer_id is not None else None,
        )
        for tag in found
    ]


class SearchService:
    def __init__(self, store: Store, accounts: AccountService) -> None:
        self.store = store
        self.accounts = accounts

    async def search(self, request: SearchRequest, viewer_id: int | None) -> SearchResults:
        if viewer_id is None and (request.offset or request.resolve):
            raise Unauthorized("Search queries pagination is not supported without authentication")
        results = SearchResults()
        if request.offset >= MAX_OFFSET:
            return results
        wanted = (request.type,) if request.type else SEARCH_TYPES
        if "accounts" in wanted:
            results.accounts = await self._accounts(request, viewer_id)
        if "statuses" in wanted and viewer_id is not None:
            results.statuses = await self._statuses(request, viewer_id)
        if "hashtags" in wanted:
            results.hashtags = await self._hashtags(request, viewer_id)
        return results

    async def _accounts(self, request: SearchRequest, viewer_id: int | None) -> list[Account]:
        found = await self.accounts.search(
            request.query,
            limit=request.limit,
            offset=request.offset,
            viewer_id=viewer_id,
            following=request.following,
        )
        exact = await self._exact_account(request, viewer_id)
        if exact is None or request.offset:
            return found
        # An address ("@user@domain") names one account: it comes first, even a remote one.
        return [exact, *(account for account in found if account.id != exact.id)][: request.limit]

    async def _exact_account(self, request: SearchRequest, viewer_id: int | None) -> Account | None:
        acct = request.query.strip().removeprefix("@")
        if not acct or " " in acct or len(acct) > 400:
            return None
        async with self.store.read() as tx:
            account = await tx.accounts.find_by_acct(acct)
            if account is None or account.suspended:
                return None
            if viewer_id is not None and account.id != viewer_id:
                if await tx.graph.blocked_either_way(viewer_id, [account.id]):
                    return None
                if request.following and not await tx.graph.following_ids(viewer_id, [account.id]):
                    return None
            return account

    async def _statuses(self, request: SearchRequest, viewer_id: int) -> list[StatusView]:
        terms = parse_query(request.query)
        if not terms:
            return []
        search = StatusSearch(
            terms=terms,
            viewer_id=viewer_id,
            account_id=request.account_id,
            limit=request.limit,
            offset=request.offset,
            max_id=request.max_id,
            min_id=request.min_id,
        )
        async with self.store.read() as tx:
            ids = await tx.search.status_ids(search)
            # The SQL already applies the visibility rules; presenting checks them again.
            return await present_statuses(tx, ids, viewer_id)

    async def _hashtags(self, request: SearchRequest, viewer_id: int | None) -> list[TagSummary]:
        prefix = tag_query(request.query)
        if not prefix:
            return []
        async with self.store.read() as tx:
            found = await tx.search.tags_by_prefix(prefix, request.limit, request.offset)
            return await with_history(tx, found, viewer_id)

    async def tag(self, name: str, viewer_id: int | None = None) -> TagSummary:
        """The hashtag ``name`` (any case) with its history, or ``NotFound``."""
        if not name or len(name) > 255:
            raise NotFound()
        async with self.store.read() as tx:
            found = await tx.search.tag_by_name(tag_key(name))
            if found is None:
                raise NotFound()
            return (await with_history(tx, [found], viewer_id))[0]
