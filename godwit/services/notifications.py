"""Notification use cases: the status.notify job, listing, dismissing, counting (API v1;
the grouped API v2 is services/notification_groups.py)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from godwit.domain.account_actions import AccountWarning
from godwit.domain.accounts import Account
from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.notifications import Notification, NotificationFilter
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import Audience, Status, StatusView, Visibility, can_see
from godwit.ports.store import Store, Transaction
from godwit.services.notifying import notify
from godwit.services.presenting import present_statuses

log = logging.getLogger("godwit.notifications")

FOLLOWER_BATCH = 500


@dataclass(frozen=True, slots=True)
class NotificationView:
    notification: Notification
    account: Account
    status: StatusView | None
    warning: AccountWarning | None = None  # moderation_warning: what the moderators decided


@dataclass(frozen=True, slots=True)
class NotificationPage:
    """The shown notifications, and the ids of the page as read (for the Link header, so a
    page whose every row was hidden still leads on to the next)."""

    items: list[NotificationView]
    cursor_ids: list[int]


class NotificationService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --- the "status.notify" job -------------------------------------------------------

    async def handle_status_notify(self, payload: dict[str, Any]) -> None:
        """Mention notifications, then "status" ones for followers who rang the bell.
        Idempotent: a notification that already exists is not added again."""
        status_id = parse_id(payload.get("status_id"))
        if status_id is None:
            log.warning("status.notify with a bad payload: %r", payload)
            return
        async with self.store.write() as tx:
            status = await tx.statuses.get(status_id)
            if status is None or status.reblog_of_id is not None:
                return  # deleted since, or a reblog (notified inline by its author's action)
            mentioned = await self._notify_mentions(tx, status)
            await self._notify_bell_followers(tx, status, skip=mentioned)

    async def _notify_mentions(self, tx: Transaction, status: Status) -> set[int]:
        mentions = await tx.statuses.mentioned_ids([status.id])
        mentioned = sorted(mentions.get(status.id, set()) - {status.account_id})
        if not mentioned:
            return set()
        blocked = await tx.graph.blocked_either_way(status.account_id, mentioned)
        following = await tx.graph.following_ids(status.account_id, mentioned)
        notified: set[int] = set()
        for account_id in mentioned:
            audience = Audience(
                viewer_id=account_id,
                follows_author=account_id in following,
                is_mentioned=True,
                blocked=account_id in blocked,
            )
            if not can_see(status, audience):
                continue
            await notify(
                tx,
                recipient_id=account_id,
                from_account_id=status.account_id,
                type="mention",
                status_id=status.id,
            )
            notified.add(account_id)
        return notified

    async def _notify_bell_followers(
        self, tx: Transaction, status: Status, *, skip: set[int]
    ) -> None:
        if status.visibility is Visibility.DIRECT:
            return  # only the mentioned may see it, and they were told already
        if status.in_reply_to_account_id not in (None, status.account_id):
            return  # a reply to someone else is not news for the author's followers
        after: int | None = None
        while True:
            batch = await tx.graph.follower_batch(
                status.account_id, after, FOLLOWER_BATCH, notified_only=True
            )
            for follower in batch:
                if follower.account_id not in skip:
                    await notify(
                        tx,
                        recipient_id=follower.account_id,
                        from_account_id=status.account_id,
                        type="status",
                        status_id=status.id,
                    )
            if len(batch) < FOLLOWER_BATCH:
                return
            after = batch[-1].follow_id

    # --- reading -------------------------------------------------------------------------

    async def listing(
        self, viewer_id: int, page: PageRequest, where: NotificationFilter
    ) -> NotificationPage:
        async with self.store.read() as tx:
            rows = await tx.notifications.page(viewer_id, page, where)
            items = await self._hydrate(tx, viewer_id, rows)
        return NotificationPage(items=items, cursor_ids=[row.id for row in rows])

    async def get(self, viewer_id: int, notification_id: int) -> NotificationView:
        async with self.store.read() as tx:
            row = await tx.notifications.get(viewer_id, notification_id)
            items = await self._hydrate(tx, viewer_id, [row] if row is not None else [])
        if not items:
            raise NotFound()
        return items[0]

    async def _hydrate(
        self, tx: Transaction, viewer_id: int, rows: Sequence[Notification]
    ) -> list[NotificationView]:
        """Accounts in one query, statuses in one present_statuses call; a notification
        whose status the viewer may no longer see is dropped."""
        if not rows:
            return []
        accounts = await tx.accounts.get_many(list({row.from_account_id for row in rows}))
        status_ids = list(dict.fromkeys(r.status_id for r in rows if r.status_id is not None))
        visible = (
            await present_statuses(tx, status_ids, viewer_id, context="notifications")
            if status_ids
            else []
        )
        by_id = {view.status.id: view for view in visible}
        warning_ids = [r.account_warning_id for r in rows if r.account_warning_id is not None]
        warnings = await tx.account_moderation.warnings(warning_ids) if warning_ids else {}
        items = []
        for row in rows:
            account = accounts.get(row.from_account_id)
            status = by_id.get(row.status_id) if row.status_id is not None else None
            if account is None or (row.status_id is not None and status is None):
                continue
            warning = None
            if row.account_warning_id is not None:
                warning = warnings.get(row.account_warning_id)
                if warning is None:
                    continue
            items.append(
                NotificationView(notification=row, account=account, status=status, warning=warning)
            )
        return items

    # --- writing -------------------------------------------------------------------------

    async def dismiss(self, viewer_id: int, notification_id: int) -> None:
        async with self.store.write() as tx:
            if not await tx.notifications.dismiss(viewer_id, notification_id):
                raise NotFound()

    async def clear(self, viewer_id: int) -> None:
        async with self.store.write() as tx:
            await tx.notifications.clear(viewer_id)

    async def unread_count(self, viewer_id: int, limit: int, where: NotificationFilter) -> int:
        """Notifications after the "notifications" marker, up to ``limit``."""
        async with self.store.read() as tx:
            markers = await tx.notifications.markers(viewer_id, ["notifications"])
            marker = markers.get("notifications")
            after = marker.last_read_id if marker is not None else None
            return await tx.notifications.count_after(viewer_id, after, limit, where)
