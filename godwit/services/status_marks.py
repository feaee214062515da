"""What a member marks on statuses: bookmarks, pins and muted threads; the lists of their
bookmarks and favourites; several statuses by id; private notes about accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from godwit.domain.errors import Invalid, NotFound
from godwit.domain.graph import Relationship, relationship
from godwit.domain.marks import MAX_NOTE_CHARS, pin_refusal
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import StatusView
from godwit.ports.store import Store, Transaction
from godwit.services.filtering import EVERY_CONTEXT
from godwit.services.presenting import present_status, present_statuses


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _original(tx: Transaction, status_id: int, viewer_id: int) -> StatusView:
    """The status acted upon, if the viewer may see it: a reblog stands for its original."""
    view = await present_status(tx, status_id, viewer_id)
    return view.reblog if view.reblog is not None else view


class StatusMarkService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- bookmarks and favourites ------------------------------------------------------

    async def bookmark(self, status_id: int, account_id: int) -> StatusView:
        async with self.store.write() as tx:
            target = await _original(tx, status_id, account_id)
            await tx.marks.add_bookmark(account_id, target.status.id, _now())
            return await present_status(tx, target.status.id, account_id)

    async def unbookmark(self, status_id: int, account_id: int) -> StatusView:
        async with self.store.write() as tx:
            target = await _original(tx, status_id, account_id)
            await tx.marks.remove_bookmark(account_id, target.status.id)
            return await present_status(tx, target.status.id, account_id)

    async def bookmarks(
        self, account_id: int, page: PageRequest
    ) -> tuple[list[StatusView], list[int]]:
        """The statuses still visible, and the row cursors of the page for its Link header
        (every row's, so paging goes on past statuses that became hidden)."""
        async with self.store.read() as tx:
            rows = await tx.marks.bookmarks_page(account_id, page)
            return await self._listed(tx, rows, account_id)

    async def favourites(
        self, account_id: int, page: PageRequest
    ) -> tuple[list[StatusView], list[int]]:
        async with self.store.read() as tx:
            rows = await tx.marks.favourites_page(account_id, page)
            return await self._listed(tx, rows, account_id)

    @staticmethod
    async def _listed(
        tx: Transaction, rows: Sequence[tuple[int, int]], viewer_id: int
    ) -> tuple[list[StatusView], list[int]]:
        views = await present_statuses(tx, [status_id for _, status_id in rows], viewer_id)
        return views, [cursor for cursor, _ in rows]

    # -- pins --------------------------------------------------------------------------

    async def pin(self, status_id: int, account_id: int) -> StatusView:
        async with self.store.write() as tx:
            view = await present_status(tx, status_id, account_id)
            if not view.viewer.pinned:
                refusal = pin_refusal(view.status, account_id, await tx.marks.pin_count(account_id))
                if refusal is not None:
                    raise Invalid(
                        f"Validation failed: {refusal}", {"status": [("ERR_INVALID", refusal)]}
                    )
                await tx.marks.add_pin(account_id, status_id, _now())
            return await present_status(tx, status_id, account_id)

    async def unpin(self, status_id: int, account_id: int) -> StatusView:
        async with self.store.write() as tx:
            await present_status(tx, status_id, account_id)
            await tx.marks.remove_pin(account_id, status_id)
            return await present_status(tx, status_id, account_id)

    # -- muted threads -----------------------------------------------------------------

    async def mute_thread(self, status_id: int, account_id: int) -> StatusView:
        async with self.store.write() as tx:
            target = await _original(tx, status_id, account_id)
            thread = await tx.marks.conversation_of(target.status.id)
            if thread is None:
                raise NotFound()
            await tx.marks.mute_conversation(account_id, thread, _now())
            return await present_status(tx, target.status.id, account_id)

    async def unmute_thread(self, status_id: int, account_id: int) -> StatusView:
        async with self.store.write() as tx:
            target = await _original(tx, status_id, account_id)
            thread = await tx.marks.conversation_of(target.status.id)
            if thread is None:
                raise NotFound()
            await tx.marks.unmute_conversation(account_id, thread)
            return await present_status(tx, target.status.id, account_id)

    # -- several statuses; notes about accounts ----------------------------------------

    async def by_ids(self, ids: Sequence[int], viewer_id: int | None) -> list[StatusView]:
        """The statuses the viewer may see, in the order asked; the rest are left out. Each
        carries ``filtered`` for every active filter of the viewer (any context, as Mastodon);
        a "hide" match is still answered, as for a single status asked for by id."""
        async with self.store.read() as tx:
            return await present_statuses(
                tx, ids, viewer_id, context=EVERY_CONTEXT, drop_hidden=False
            )

    async def set_note(self, account_id: int, target_id: int, comment: str) -> Relationship:
        if len(comment) > MAX_NOTE_CHARS:
            raise Invalid(
                f"Validation failed: Comment is too long (maximum is {MAX_NOTE_CHARS} characters)",
                {"comment": [("ERR_TOO_LONG", f"is too long (maximum is {MAX_NOTE_CHARS})")]},
            )
        async with self.store.write() as tx:
            target = await tx.accounts.get(target_id)
            if target is None or target.suspended:
                raise NotFound()
            await tx.marks.set_note(account_id, target_id, comment, _now())
            return relationship(target_id, await tx.graph.facts(account_id, [target_id]))
