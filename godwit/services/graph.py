"""Social-graph use cases: follow, follow requests, block, mute, relationships and lists.

Each use case is one write transaction, so the edge, the counters, the feed clean-up, the
notification and the jobs it implies commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from godwit.domain.accounts import Account
from godwit.domain.errors import Forbidden, NotFound
from godwit.domain.graph import (
    GraphEdge,
    Relationship,
    follow_options,
    mute_expiry,
    normalise_languages,
    relationship,
    severed_by_block,
    unique_ids,
)
from godwit.domain.pagination import PageRequest
from godwit.domain.streaming import follows_changed_event
from godwit.ports.store import Store, Transaction
from godwit.services.notifying import notify, withdraw

SELF_FOLLOW_ERROR = "Following your own account is not allowed"
BLOCKED_ERROR = "This action is not allowed"


@dataclass(frozen=True, slots=True)
class ListedAccount:
    """An account in a graph list, with the row id that pages the list."""

    cursor: int
    account: Account


class GraphService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- following ----------------------------------------------------------------------

    async def follow(
        self,
        viewer_id: int,
        target_id: int,
        *,
        reblogs: bool | None = None,
        notify_posts: bool | None = None,
        languages: Sequence[str] | None = None,
    ) -> Relationship:
        """Follow, or ask to follow a locked account; following again updates the options.

        ``None`` for an option means "not sent": the current value (or the default) stays.
        """
        chosen_languages = normalise_languages(languages)
        async with self.store.write() as tx:
            target = await _existing(tx, target_id)
            if target.id == viewer_id:
                raise Forbidden(SELF_FOLLOW_ERROR)
            if await tx.graph.blocked_either_way(viewer_id, [target.id]):
                raise Forbidden(BLOCKED_ERROR)

            current = await tx.graph.get_follow(viewer_id, target.id)
            if current is not None:
                updated = follow_options(
                    current,
                    reblogs=reblogs,
                    notify=notify_posts,
                    languages=chosen_languages,
                    languages_given=languages is not None,
                )
                await tx.graph.update_follow(viewer_id, target.id, updated)
                return await _relationship(tx, viewer_id, target.id)

            pending = await tx.graph.get_follow_request(viewer_id, target.id)
            options = follow_options(
                pending,
                reblogs=reblogs,
                notify=notify_posts,
                languages=chosen_languages,
                languages_given=languages is not None,
            )
            if pending is not None:
                await tx.graph.update_follow_request(viewer_id, target.id, options)
            elif target.locked:
                if await tx.graph.add_follow_request(viewer_id, target.id, options):
                    await notify(
                        tx, recipient_id=target.id, from_account_id=viewer_id, type="follow_request"
                    )
            elif await tx.graph.add_follow(viewer_id, target.id, options):
                await _started_following(tx, viewer_id, target.id)
                await notify(tx, recipient_id=target.id, from_account_id=viewer_id, type="follow")
            return await _relationship(tx, viewer_id, target.id)

    async def unfollow(self, viewer_id: int, target_id: int) -> Relationship:
        """Stop following, or withdraw a pending follow request."""
        async with self.store.write() as tx:
            target = await _existing(tx, target_id)
            await _sever(tx, viewer_id, target.id)
            return await _relationship(tx, viewer_id, target.id)

    async def remove_from_followers(self, viewer_id: int, follower_id: int) -> Relationship:
        """Make ``follower_id`` stop following the viewer (a soft block)."""
        async with self.store.write() as tx:
            follower = await _existing(tx, follower_id)
            if await tx.graph.remove_follow(follower.id, viewer_id):
                await _stopped_following(tx, follower.id, viewer_id)
            return await _relationship(tx, viewer_id, follower.id)

    # -- follow requests ----------------------------------------------------------------

    async def authorize(self, viewer_id: int, requester_id: int) -> Relationship:
        """Accept a pending follow request to the viewer: it becomes a follow."""
        async with self.store.write() as tx:
            requester = await _existing(tx, requester_id)
            options = await tx.graph.get_follow_request(requester.id, viewer_id)
            if options is None:
                raise NotFound()
            await tx.graph.remove_follow_request(requester.id, viewer_id)
            await withdraw(
                tx, recipient_id=viewer_id, from_account_id=requester.id, type="follow_request"
            )
            if await tx.graph.add_follow(requester.id, viewer_id, options):
                await _started_following(tx, requester.id, viewer_id)
            return await _relationship(tx, viewer_id, requester.id)

    async def reject(self, viewer_id: int, requester_id: int) -> Relationship:
        async with self.store.write() as tx:
            requester = await _existing(tx, requester_id)
            if not await tx.graph.remove_follow_request(requester.id, viewer_id):
                raise NotFound()
            await withdraw(
                tx, recipient_id=viewer_id, from_account_id=requester.id, type="follow_request"
            )
            return await _relationship(tx, viewer_id, requester.id)

    # -- blocks and mutes ---------------------------------------------------------------

    async def block(self, viewer_id: int, target_id: int) -> Relationship:
        """Block: every follow and request between the two goes, in both directions, with
        the feed entries and every notification one caused the other."""
        async with self.store.write() as tx:
            target = await _existing(tx, target_id)
            if target.id == viewer_id:  # Mastodon ignores a self-block
                return await _relationship(tx, viewer_id, target.id)
            for follower_id, followed_id in severed_by_block(viewer_id, target.id):
                await _sever(tx, follower_id, followed_id)
                # Entries may remain from reblogs or a follow that ended earlier.
                await tx.feeds.remove_author(follower_id, followed_id)
            await tx.notifications.remove_between(viewer_id, target.id)
            await tx.graph.add_block(viewer_id, target.id)
            return await _relationship(tx, viewer_id, target.id)

    async def unblock(self, viewer_id: int, target_id: int) -> Relationship:
        async with self.store.write() as tx:
            target = await _existing(tx, target_id)
            await tx.graph.remove_block(viewer_id, target.id)
            return await _relationship(tx, viewer_id, target.id)

    async def mute(
        self,
        viewer_id: int,
        target_id: int,
        *,
        hide_notifications: bool = True,
        duration_seconds: int | None = None,
    ) -> Relationship:
        expires_at = mute_expiry(dt.datetime.now(dt.UTC), duration_seconds)
        async with self.store.write() as tx:
            target = await _existing(tx, target_id)
            if target.id != viewer_id:  # Mastodon ignores a self-mute
                await tx.graph.set_mute(
                    viewer_id,
                    target.id,
                    hide_notifications=hide_notifications,
                    expires_at=expires_at,
                )
            return await _relationship(tx, viewer_id, target.id)

    async def unmute(self, viewer_id: int, target_id: int) -> Relationship:
        async with self.store.write() as tx:
            target = await _existing(tx, target_id)
            await tx.graph.remove_mute(viewer_id, target.id)
            return await _relationship(tx, viewer_id, target.id)

    # -- reading ------------------------------------------------------------------------

    async def relationships(self, viewer_id: int, ids: Sequence[int]) -> list[Relationship]:
        """One Relationship per known account, in the order asked; unknown ids are skipped.
        Five queries whatever the number of ids."""
        wanted = unique_ids(ids)
        async with self.store.read() as tx:
            known = await tx.accounts.get_many(wanted)
            present = [account_id for account_id in wanted if account_id in known]
            facts = await tx.graph.facts(viewer_id, present)
        return [relationship(account_id, facts) for account_id in present]

    async def followers(
        self, account_id: int, viewer_id: int | None, page: PageRequest
    ) -> list[ListedAccount]:
        async with self.store.read() as tx:
            account = await _existing(tx, account_id)
            if await _hidden_from(tx, account, viewer_id):
                return []
            return await _listed(tx, await tx.graph.followers_page(account.id, page))

    async def following(
        self, account_id: int, viewer_id: int | None, page: PageRequest
    ) -> list[ListedAccount]:
        async with self.store.read() as tx:
            account = await _existing(tx, account_id)
            if await _hidden_from(tx, account, viewer_id):
                return []
            return await _listed(tx, await tx.graph.following_page(account.id, page))

    async def follow_requests(self, viewer_id: int, page: PageRequest) -> list[ListedAccount]:
        async with self.store.read() as tx:
            return await _listed(tx, await tx.graph.follow_requests_page(viewer_id, page))

    async def blocks(self, viewer_id: int, page: PageRequest) -> list[ListedAccount]:
        async with self.store.read() as tx:
            return await _listed(tx, await tx.graph.blocks_page(viewer_id, page))

    async def mutes(self, viewer_id: int, page: PageRequest) -> list[ListedAccount]:
        async with self.store.read() as tx:
            return await _listed(tx, await tx.graph.mutes_page(viewer_id, page))


async def _existing(tx: Transaction, account_id: int) -> Account:
    account = await tx.accounts.get(account_id)
    if account is None or account.suspended:
        raise NotFound()
    return account


async def _relationship(tx: Transaction, viewer_id: int, target_id: int) -> Relationship:
    return relationship(target_id, await tx.graph.facts(viewer_id, [target_id]))


async def _adjust_follow_counts(
    tx: Transaction, follower_id: int, followed_id: int, delta: int
) -> None:
    """Both counters of one follow edge, always in account-id order: two members following
    each other at the same moment must not lock the two rows in opposite orders (deadlock)."""
    for account_id in sorted((follower_id, followed_id)):
        if account_id == follower_id:
            await tx.accounts.adjust_counts(account_id, following=delta)
        else:
            await tx.accounts.adjust_counts(account_id, followers=delta)


async def _started_following(tx: Transaction, follower_id: int, followed_id: int) -> None:
    """A new follow row exists: counters, and the author's recent posts into the feed."""
    await _adjust_follow_counts(tx, follower_id, followed_id, 1)
    await tx.jobs.enqueue("feed.backfill", {"reader_id": follower_id, "author_id": followed_id})
    tx.events.emit(follows_changed_event(follower_id, followed_id))  # home streams re-read


async def _stopped_following(tx: Transaction, follower_id: int, followed_id: int) -> None:
    """A follow row went: counters, and the author's entries leave the follower's feed."""
    await _adjust_follow_counts(tx, follower_id, followed_id, -1)
    await tx.feeds.remove_author(follower_id, followed_id)
    tx.events.emit(follows_changed_event(follower_id, followed_id))


async def _sever(tx: Transaction, follower_id: int, followed_id: int) -> None:
    """Remove the follow (or the pending request) and the notification it brought."""
    if await tx.graph.remove_follow(follower_id, followed_id):
        await _stopped_following(tx, follower_id, followed_id)
        await withdraw(tx, recipient_id=followed_id, from_account_id=follower_id, type="follow")
    if await tx.graph.remove_follow_request(follower_id, followed_id):
        await withdraw(
            tx, recipient_id=followed_id, from_account_id=follower_id, type="follow_request"
        )


async def _hidden_from(tx: Transaction, account: Account, viewer_id: int | None) -> bool:
    """An account's lists are hidden from someone it blocks, as in Mastodon."""
    if viewer_id is None or viewer_id == account.id:
        return False
    facts = await tx.graph.facts(viewer_id, [account.id])
    return account.id in facts.blocked_by


async def _listed(tx: Transaction, edges: Sequence[GraphEdge]) -> list[ListedAccount]:
    """Accounts for a page of edges, in page order; suspended or vanished ones dropped."""
    found = await tx.accounts.get_many([edge.account_id for edge in edges])
    return [
        ListedAccount(cursor=edge.cursor, account=found[edge.account_id])
        for edge in edges
        if edge.account_id in found and not found[edge.account_id].suspended
    ]
