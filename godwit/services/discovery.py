"""Finding people and posts: endorsements, familiar followers, follow suggestions, the
profile directory, trending posts, announcements and the extended description."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from godwit.domain.accounts import Account
from godwit.domain.discovery import Announcement, Suggested, merge_suggestions
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.graph import Relationship, relationship, unique_ids
from godwit.domain.ids import IdGenerator
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import StatusView
from godwit.domain.tags import TREND_WINDOW_DAYS
from godwit.ports.store import Store, Transaction
from godwit.services.graph import ListedAccount
from godwit.services.presenting import present_statuses

EXTENDED_DESCRIPTION_KEY = "extended_description"
EXTENDED_DESCRIPTION_UPDATED_KEY = "extended_description_updated_at"
# Familiar followers shown per account (the web interface shows a few avatars).
FAMILIAR_FOLLOWERS_LIMIT = 40


@dataclass(frozen=True, slots=True)
class Suggestion:
    account: Account
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FamiliarFollowers:
    account_id: int
    accounts: list[Account]


@dataclass(frozen=True, slots=True)
class ExtendedDescription:
    content: str
    updated_at: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _existing(tx: Transaction, account_id: int) -> Account:
    account = await tx.accounts.get(account_id)
    if account is None or account.suspended:
        raise NotFound()
    return account


class DiscoveryService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- endorsements --------------------------------------------------------------------

    async def endorse(self, viewer_id: int, target_id: int) -> Relationship:
        """Featuring an account on one's profile, which Mastodon allows only for accounts
        one follows."""
        async with self.store.write() as tx:
            await _existing(tx, target_id)
            if not await tx.graph.is_following(viewer_id, target_id):
                raise Invalid(
                    "Validation failed: you must follow the account to endorse it",
                    {"account_id": [("ERR_INVALID", "must be followed to be endorsed")]},
                )
            await tx.discovery.endorse(viewer_id, target_id, _now())
            return await _relationship(tx, viewer_id, target_id)

    async def unendorse(self, viewer_id: int, target_id: int) -> Relationship:
        async with self.store.write() as tx:
            await _existing(tx, target_id)
            await tx.discovery.unendorse(viewer_id, target_id)
            return await _relationship(tx, viewer_id, target_id)

    async def endorsements(self, account_id: int, page: PageRequest) -> list[ListedAccount]:
        async with self.store.read() as tx:
            return await _endorsed(tx, account_id, page)

    async def endorsements_of(
        self, account_id: int, viewer_id: int | None, page: PageRequest
    ) -> list[ListedAccount]:
        """Another account's endorsements (Mastodon 4.4): none shown for a suspended
        account, nor to someone it blocks, as its other lists."""
        async with self.store.read() as tx:
            account = await tx.accounts.get(account_id)
            if account is None:
                raise NotFound()
            if account.suspended:
                return []
            if viewer_id is not None and viewer_id != account_id:
                facts = await tx.graph.facts(viewer_id, [account_id])
                if account_id in facts.blocked_by:
                    return []
            return await _endorsed(tx, account_id, page)

    # -- familiar followers ----------------------------------------------------------------

    async def familiar_followers(
        self, viewer_id: int, ids: Sequence[int]
    ) -> list[FamiliarFollowers]:
        """For each existing, unsuspended account asked for (in the order asked): its
        followers whom the viewer follows. Three queries whatever the number of ids."""
        wanted = unique_ids(ids)
        async with self.store.read() as tx:
            found = await tx.accounts.get_many(wanted)
            targets = [i for i in wanted if i in found and not found[i].suspended]
            edges = await tx.discovery.familiar_followers(
                viewer_id, targets, FAMILIAR_FOLLOWERS_LIMIT
            )
            known = await tx.accounts.get_many(
                sorted({f for found_ids in edges.values() for f in found_ids})
            )
        return [
            FamiliarFollowers(
                target,
                [
                    known[follower]
                    for follower in edges.get(target, [])
                    if follower in known and not known[follower].suspended
                ],
            )
            for target in targets
        ]

    # -- suggestions and directory -------------------------------------------------------

    async def suggestions(self, viewer_id: int, limit: int) -> list[Suggestion]:
        async with self.store.read() as tx:
            friends = await tx.discovery.friends_of_friends(viewer_id, limit)
            popular = await tx.discovery.popular_local(viewer_id, limit)
            chosen: list[Suggested] = merge_suggestions(popular, friends, limit)
            found = await tx.accounts.get_many([item.account_id for item in chosen])
        return [
            Suggestion(found[item.account_id], item.sources)
            for item in chosen
            if item.account_id in found
        ]

    async def dismiss_suggestion(self, viewer_id: int, target_id: int) -> None:
        async with self.store.write() as tx:
            await _existing(tx, target_id)
            await tx.discovery.dismiss_suggestion(viewer_id, target_id, _now())

    async def directory(
        self, *, offset: int, limit: int, order: str, local_only: bool
    ) -> list[Account]:
        async with self.store.read() as tx:
            ids = await tx.discovery.directory(
                offset=offset, limit=limit, order=order, local_only=local_only
            )
            found = await tx.accounts.get_many(ids)
        return [found[account_id] for account_id in ids if account_id in found]

    # -- trending posts, announcements, extended description -----------------------------

    async def trending_statuses(
        self, viewer_id: int | None, offset: int, limit: int
    ) -> list[StatusView]:
        """Public posts of the last week by favourites + reblogs, through the one visibility
        path (blocks apply)."""
        since = _now() - dt.timedelta(days=TREND_WINDOW_DAYS)
        since_id = IdGenerator.lower_bound_for(int(since.timestamp() * 1000))
        async with self.store.read() as tx:
            ids = await tx.discovery.trending_status_ids(since_id, offset, limit)
            return await present_statuses(tx, ids, viewer_id)

    async def announcements(self, viewer_id: int) -> list[Announcement]:
        async with self.store.read() as tx:
            return await tx.discovery.announcements(viewer_id, _now())

    async def dismiss_announcement(self, viewer_id: int, announcement_id: int) -> None:
        async with self.store.write() as tx:
            if not await tx.discovery.dismiss_announcement(viewer_id, announcement_id, _now()):
                raise NotFound()

    async def extended_description(self) -> ExtendedDescription:
        """From the server settings; an empty description until the operators write one."""
        async with self.store.read() as tx:
            content = await tx.instance.get_setting(EXTENDED_DESCRIPTION_KEY)
            updated = await tx.instance.get_setting(EXTENDED_DESCRIPTION_UPDATED_KEY)
        updated_at = _now()
        if isinstance(updated, str):
            # A malformed timestamp must not break the about page.
            with contextlib.suppress(ValueError):
                updated_at = dt.datetime.fromisoformat(updated).astimezone(dt.UTC)
        return ExtendedDescription(
            content=content if isinstance(content, str) else "", updated_at=updated_at
        )


async def _endorsed(tx: Transaction, account_id: int, page: PageRequest) -> list[ListedAccount]:
    edges = await tx.discovery.endorsed_page(account_id, page)
    found = await tx.accounts.get_many([edge.account_id for edge in edges])
    return [
        ListedAccount(edge.cursor, found[edge.account_id])
        for edge in edges
        if edge.account_id in found and not found[edge.account_id].suspended
    ]


async def _relationship(tx: Transaction, viewer_id: int, target_id: int) -> Relationship:
    return relationship(target_id, await tx.graph.facts(viewer_id, [target_id]))
