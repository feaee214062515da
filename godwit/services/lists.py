"""Lists: CRUD, members (only accounts the owner follows) and the list timeline.

Membership rows hang on the owner's follow of the member, so unfollowing or blocking
removes the account from the owner's lists inside the graph service's own transaction
(a foreign-key cascade), with no call from that slice into this one.

The list timeline is read at request time from the members' posts in the page window:
one query per window, the rules of ``godwit.domain.lists`` with the owner's blocks, mutes
and follows loaded in bulk, then ``present_statuses`` for visibility.
"""

from __future__ import annotations

from collections.abc import Sequence

from godwit.domain.errors import Invalid, NotFound
from godwit.domain.lists import (
    MAX_LISTS_PER_ACCOUNT,
    AccountList,
    ListPost,
    ListReader,
    RepliesPolicy,
    clean_title,
    list_accepts,
)
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import StatusView
from godwit.domain.streaming import list_changed_event
from godwit.domain.timelines import FeedItem, merge_page, next_window
from godwit.ports.store import Store, Transaction
from godwit.services.graph import ListedAccount
from godwit.services.presenting import present_statuses

# A page thinned by the list rules or visibility is refilled from the next window at most
# this many times, so one request stays a bounded number of queries (as the home timeline).
MAX_PAGE_ROUNDS = 3


async def _own(tx: Transaction, owner_id: int, list_id: int) -> AccountList:
    """The list if ``owner_id`` owns it; another member's list looks missing (404)."""
    found = await tx.lists.get(list_id)
    if found is None or found.account_id != owner_id:
        raise NotFound()
    return found


def _not_followed() -> Invalid:
    description = "must be followed before being added to a list"
    return Invalid(
        "Validation failed: Account has not been followed",
        {"account_ids": [("ERR_NOT_FOLLOWED", description)]},
    )


class ListService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- the lists themselves -------------------------------------------------------------

    async def owned(self, owner_id: int) -> list[AccountList]:
        async with self.store.read() as tx:
            return await tx.lists.owned(owner_id)

    async def get(self, owner_id: int, list_id: int) -> AccountList:
        async with self.store.read() as tx:
            return await _own(tx, owner_id, list_id)

    async def create(
        self, owner_id: int, title: str | None, replies_policy: RepliesPolicy, exclusive: bool
    ) -> AccountList:
        cleaned = clean_title(title)
        async with self.store.write() as tx:
            if await tx.lists.count_owned(owner_id) >= MAX_LISTS_PER_ACCOUNT:
                raise Invalid(
                    f"Validation failed: You cannot have more than {MAX_LISTS_PER_ACCOUNT} lists",
                    {"base": [("ERR_LIMIT", "too many lists")]},
                )
            return await tx.lists.create(owner_id, cleaned, replies_policy, exclusive)

    async def update(
        self,
        owner_id: int,
        list_id: int,
        *,
        title: str | None = None,
        replies_policy: RepliesPolicy | None = None,
        exclusive: bool | None = None,
    ) -> AccountList:
        """Change the given attributes; those left ``None`` keep their value."""
        cleaned = clean_title(title) if title is not None else None
        async with self.store.write() as tx:
            found = await _own(tx, owner_id, list_id)
            await tx.lists.update(
                found.id,
                title=cleaned if cleaned is not None else found.title,
                replies_policy=replies_policy or found.replies_policy,
                exclusive=found.exclusive if exclusive is None else exclusive,
            )
            tx.events.emit(list_changed_event(found.id))  # its streams re-read the list
            updated = await tx.lists.get(found.id)
            assert updated is not None  # written in this transaction
            return updated

    async def delete(self, owner_id: int, list_id: int) -> None:
        async with self.store.write() as tx:
            found = await _own(tx, owner_id, list_id)
            await tx.lists.delete(found.id)
            tx.events.emit(list_changed_event(found.id))

    async def containing(self, owner_id: int, account_id: int) -> list[AccountList]:
        """GET /api/v1/accounts/:id/lists: the owner's lists that have this account."""
        async with self.store.read() as tx:
            if await tx.accounts.get(account_id) is None:
                raise NotFound()
            return await tx.lists.containing(owner_id, account_id)

    # -- members ----------------------------------------------------------------------------

    async def members(
        self, owner_id: int, list_id: int, page: PageRequest | None
    ) -> list[ListedAccount]:
        """A page of members (``None``: all of them), newest membership first."""
        async with self.store.read() as tx:
            found = await _own(tx, owner_id, list_id)
            rows = await tx.lists.members_page(found.id, page)
            accounts = await tx.accounts.get_many([account_id for _, account_id in rows])
            return [
                ListedAccount(cursor, accounts[account_id])
                for cursor, account_id in rows
                if account_id in accounts
            ]

    async def add_members(self, owner_id: int, list_id: int, account_ids: Sequence[int]) -> None:
        """All or nothing: an unknown account is a 404, one not followed a 422."""
        wanted = sorted(set(account_ids))
        async with self.store.write() as tx:
            found = await _own(tx, owner_id, list_id)
            existing = await tx.accounts.get_many(wanted)
            if len(existing) != len(wanted):
                raise NotFound()
            follows = await tx.lists.follow_ids(owner_id, wanted)
            if len(follows) != len(wanted):
                raise _not_followed()
            await tx.lists.add_members(found.id, follows)
            tx.events.emit(list_changed_event(found.id))

    async def remove_members(self, owner_id: int, list_id: int, account_ids: Sequence[int]) -> None:
        async with self.store.write() as tx:
            found = await _own(tx, owner_id, list_id)
            await tx.lists.remove_members(found.id, sorted(set(account_ids)))
            tx.events.emit(list_changed_event(found.id))

    # -- the list timeline ------------------------------------------------------------------

    async def timeline(self, owner_id: int, list_id: int, page: PageRequest) -> list[StatusView]:
        async with self.store.read() as tx:
            found = await _own(tx, owner_id, list_id)
            views: list[StatusView] = []
            window = page
            for _ in range(MAX_PAGE_ROUNDS):
                posts = await tx.lists.posts(found.id, window)
                if not posts:
                    break
                accepted = await self._accepted(tx, found, posts)
                ids = merge_page(
                    [[FeedItem(item.post.status_id, item.post.entry_key) for item in accepted]],
                    window,
                )
                if ids:
                    # Lists show in the 'home' filter context, as in Mastodon.
                    views += await present_statuses(tx, ids, owner_id, context="home")
                if len(posts) < window.limit or len(views) >= page.limit:
                    break
                window = next_window(window, [item.post.status_id for item in posts])
            return _one_page(views, page)

    async def _accepted(
        self, tx: Transaction, found: AccountList, posts: Sequence[ListPost]
    ) -> list[ListPost]:
        return await accepted_by_list(tx, found, posts)


async def accepted_by_list(
    tx: Transaction, found: AccountList, posts: Sequence[ListPost]
) -> list[ListPost]:
    """The posts the list rules let through, with the owner's relations in bulk (also
    what the list stream delivers live)."""
    parties = sorted(
        {item.post.author_id for item in posts}
        | {party for item in posts for party in item.post.other_party_ids}
    )
    shuns = (await tx.feeds.shunned_by([found.account_id], parties)).get(found.account_id, set())
    targets = sorted(
        {
            item.post.in_reply_to_account_id
            for item in posts
            if item.post.replies_to_other and item.post.in_reply_to_account_id is not None
        }
    )
    follows: set[int] = set()
    members: set[int] = set()
    if targets and found.replies_policy is RepliesPolicy.FOLLOWED:
        follows = (await tx.feeds.followed_by([found.account_id], targets)).get(
            found.account_id, set()
        )
    elif targets and found.replies_policy is RepliesPolicy.LIST:
        members = await tx.lists.members_among(found.id, targets)
    reader = ListReader(
        found.account_id,
        found.replies_policy,
        shuns=frozenset(shuns),
        follows=frozenset(follows),
        members=frozenset(members),
    )
    return [item for item in posts if list_accepts(item, reader)]


def _one_page(views: Sequence[StatusView], page: PageRequest) -> list[StatusView]:
    """Newest first, cut to the page (the oldest ones for a ``min_id`` page), one view per
    post: a reblog of a post already on the page gives way to the earlier entry."""
    ordered = sorted({view.status.id: view for view in views}.values(), key=_newest, reverse=True)
    ordered = ordered[-page.limit :] if page.ascending else ordered[: page.limit]
    seen: set[int] = set()
    kept: list[StatusView] = []
    for view in reversed(ordered):  # oldest first: the first arrival of a post wins
        key = view.reblog.status.id if view.reblog is not None else view.status.id
        if key not in seen:
            seen.add(key)
            kept.append(view)
    kept.reverse()
    return kept


def _newest(view: StatusView) -> int:
    return view.status.id
