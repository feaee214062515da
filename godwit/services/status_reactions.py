"""Favourites and reblogs, and who made them: the reacting half of StatusService."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from godwit.config import Settings
from godwit.domain.accounts import Account, posting_defaults
from godwit.domain.errors import Forbidden, Invalid, NotFound
from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.domain.posting import NewStatus, counts_towards_statuses
from godwit.domain.posts import Status, StatusView, Visibility
from godwit.domain.streaming import DELETE, DELETES, StreamEvent
from godwit.ports.store import Store, Transaction
from godwit.services.media import release_media
from godwit.services.notifying import notify, withdraw
from godwit.services.presenting import present_status


def current_time() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def invalid_field(field: str, description: str) -> Invalid:
    return Invalid(
        f"Validation failed: {field.capitalize()} {description}",
        {field: [("ERR_INVALID", description)]},
    )


def parse_visibility(value: str) -> Visibility:
    visibility = Visibility.parse(value)
    if visibility is None:
        raise invalid_field("visibility", "is not included in the list")
    return visibility


async def load_author(tx: Transaction, account_id: int) -> Account:
    author = await tx.accounts.get(account_id)
    if author is None:
        raise NotFound()
    return author


def delete_event(status: Status, mentioned: Sequence[int]) -> StreamEvent:
    """The "delete" every stream that could have shown ``status`` acts on."""
    return StreamEvent(
        DELETES,
        DELETE,
        status.id,
        author_id=status.account_id,
        visibility=status.visibility.value,
        mentioned_ids=tuple(mentioned) if status.reblog_of_id is None else (),
    )


async def delete_status(tx: Transaction, status_id: int) -> None:
    """Delete the row (cascades do the rest) and lower the account counters it raised."""
    mentioned = await tx.feeds.local_mentions(status_id)  # gone with the row: read first
    await release_media(tx, [status_id])  # its files are deleted by a job after the commit
    deleted = await tx.statuses.delete(status_id)
    if deleted is None:
        return
    tx.events.emit(
        *(delete_event(removed, mentioned) for removed in (deleted.status, *deleted.reblogs))
    )
    if counts_towards_statuses(deleted.status):
        await tx.accounts.adjust_counts(deleted.status.account_id, statuses=-1)
    for reblog in deleted.reblogs:
        if counts_towards_statuses(reblog):
            await tx.accounts.adjust_counts(reblog.account_id, statuses=-1)


class StatusReactions:
    """Base of StatusService (which sets ``store`` and ``settings``)."""

    store: Store
    settings: Settings

    # -- favourites and reblogs ----------------------------------------------------------

    async def _original(self, tx: Transaction, status_id: int, viewer_id: int) -> StatusView:
        """The status acted upon: a reblog stands for its original."""
        view = await present_status(tx, status_id, viewer_id)
        return view.reblog if view.reblog is not None else view

    async def favourite(self, status_id: int, account_id: int) -> StatusView:
        async with self.store.write() as tx:
            target = (await self._original(tx, status_id, account_id)).status
            if await tx.statuses.add_favourite(account_id, target.id, current_time()):
                await notify(
                    tx,
                    recipient_id=target.account_id,
                    from_account_id=account_id,
                    type="favourite",
                    status_id=target.id,
                )
            return await present_status(tx, target.id, account_id)

    async def unfavourite(self, status_id: int, account_id: int) -> StatusView:
        async with self.store.write() as tx:
            target = (await self._original(tx, status_id, account_id)).status
            if await tx.statuses.remove_favourite(account_id, target.id):
                await withdraw(
                    tx,
                    recipient_id=target.account_id,
                    from_account_id=account_id,
                    type="favourite",
                    status_id=target.id,
                )
            return await present_status(tx, target.id, account_id)

    async def reblog(
        self, status_id: int, account_id: int, visibility: str | None = None
    ) -> StatusView:
        requested = parse_visibility(visibility) if visibility else None
        if requested is Visibility.DIRECT:
            raise invalid_field("visibility", "is not included in the list")
        async with self.store.write() as tx:
            target = (await self._original(tx, status_id, account_id)).status
            own = target.account_id == account_id
            if target.visibility is Visibility.DIRECT or (
                target.visibility is Visibility.PRIVATE and not own
            ):
                raise Forbidden()
            existing = await tx.statuses.find_reblog(account_id, target.id)
            if existing is not None:
                return await present_status(tx, existing.id, account_id)
            if target.visibility is Visibility.PRIVATE:
                chosen = Visibility.PRIVATE  # a private status stays private when reblogged
            elif requested is not None:
                chosen = requested
            else:
                user = await tx.accounts.get_user_by_account(account_id)
                default = posting_defaults(user)[0] if user is not None else "public"
                chosen = Visibility.parse(default) or Visibility.PUBLIC
                if chosen is Visibility.DIRECT:
                    chosen = Visibility.PRIVATE
            author = await load_author(tx, account_id)
            now = current_time()
            reblog_id = new_id()
            uri = f"{author.uri}/statuses/{reblog_id}"
            await tx.statuses.create(
                NewStatus(
                    id=reblog_id,
                    account_id=account_id,
                    uri=f"{uri}/activity",
                    url=f"{author.url}/{reblog_id}",
                    text="",
                    content="",
                    spoiler_text="",
                    sensitive=False,
                    visibility=chosen,
                    language=None,
                    created_at=now,
                    reblog_of_id=target.id,
                )
            )
            await tx.accounts.adjust_counts(account_id, statuses=1, last_status_at=now)
            await notify(
                tx,
                recipient_id=target.account_id,
                from_account_id=account_id,
                type="reblog",
                status_id=target.id,
            )
            await tx.jobs.enqueue("status.fanout", {"status_id": reblog_id})
            return await present_status(tx, reblog_id, account_id)

    async def unreblog(self, status_id: int, account_id: int) -> StatusView:
        async with self.store.write() as tx:
            target = (await self._original(tx, status_id, account_id)).status
            existing = await tx.statuses.find_reblog(account_id, target.id)
            if existing is not None:
                await delete_status(tx, existing.id)
                await withdraw(
                    tx,
                    recipient_id=target.account_id,
                    from_account_id=account_id,
                    type="reblog",
                    status_id=target.id,
                )
            return await present_status(tx, target.id, account_id)

    async def favourited_by(
        self, status_id: int, viewer_id: int | None, page: PageRequest
    ) -> tuple[list[Account], list[int]]:
        """The accounts, and the row cursors of the page for its Link header."""
        async with self.store.read() as tx:
            await present_status(tx, status_id, viewer_id)
            rows = await tx.statuses.favourited_by(status_id, page)
            return await self._accounts_page(tx, rows, viewer_id)

    async def reblogged_by(
        self, status_id: int, viewer_id: int | None, page: PageRequest
    ) -> tuple[list[Account], list[int]]:
        async with self.store.read() as tx:
            await present_status(tx, status_id, viewer_id)
            rows = await tx.statuses.reblogged_by(status_id, page)
            return await self._accounts_page(tx, rows, viewer_id)

    async def _accounts_page(
        self, tx: Transaction, rows: Sequence[tuple[int, int]], viewer_id: int | None
    ) -> tuple[list[Account], list[int]]:
        account_ids = [account_id for _, account_id in rows]
        found = await tx.accounts.get_many(account_ids)
        blocked: set[int] = set()
        if viewer_id is not None and account_ids:
            blocked = await tx.graph.blocked_either_way(viewer_id, account_ids)
        shown = [
            found[account_id]
            for account_id in account_ids
            if account_id in found and account_id not in blocked and not found[account_id].suspended
        ]
        return shown, [cursor for cursor, _ in rows]
