"""Grouped notifications (API v2, Mastodon 4.3): pages of groups, one group, its accounts,
dismissing a group, and the unread group count.

A page is Mastodon's walk: notifications newest first (oldest first after ``min_id``), each
group represented by the first of its notifications met, until ``limit`` groups are found.
The walk reads at most ``limit * GROUP_SCAN_FACTOR`` notifications in one query; when those
hold fewer groups the page is shorter and its cursor continues below what was read. The
groups' counts, newest senders and bounds then come from one query over the stored group
keys, the accounts from one, and the statuses from one present_statuses call.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from godwit.domain.account_actions import AccountWarning
from godwit.domain.accounts import Account
from godwit.domain.errors import NotFound
from godwit.domain.notifications import (
    GROUPABLE_TYPES,
    MAX_GROUP_KEY,
    UNGROUPED_PREFIX,
    GroupSummary,
    Notification,
    NotificationFilter,
)
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import StatusView
from godwit.ports.store import Store, Transaction
from godwit.services.presenting import present_statuses

GROUP_SCAN_FACTOR = 10


@dataclass(frozen=True, slots=True)
class NotificationGroup:
    group_key: str
    type: str
    status_id: int | None
    notifications_count: int
    most_recent_id: int
    latest_at: dt.datetime
    sample_account_ids: tuple[int, ...]
    # Within the page (None outside a page, as for GET /api/v2/notifications/:group_key).
    page_min_id: int | None = None
    page_max_id: int | None = None
    # moderation_warning (never grouped): the warning it shows, loaded by _hydrate.
    account_warning_id: int | None = None
    warning: AccountWarning | None = None


@dataclass(frozen=True, slots=True)
class GroupedPage:
    groups: list[NotificationGroup]
    accounts: list[Account]  # every sample account once, in the order the groups name them
    statuses: list[StatusView]
    # The newest and oldest notification ids the page covers, for the Link header.
    cursor_ids: list[int] = dataclasses.field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GroupAccounts:
    accounts: list[Account]
    cursor_ids: list[int]


def usable_group_key(group_key: str) -> bool:
    """Keys from a URL: short, printable text (so nothing odd reaches the database)."""
    return 0 < len(group_key) <= MAX_GROUP_KEY and group_key.isprintable()


def walk(
    rows: Sequence[Notification], limit: int, grouped_types: frozenset[str]
) -> list[tuple[str, Notification]]:
    """The first notification of each group in walk order, up to ``limit`` groups."""
    seen: set[str] = set()
    representatives: list[tuple[str, Notification]] = []
    for row in rows:
        key = row.grouping_key(grouped_types)
        if key in seen:
            continue
        seen.add(key)
        representatives.append((key, row))
        if len(representatives) == limit:
            break
    return representatives


def _alone(key: str, row: Notification, *, paginated: bool) -> NotificationGroup:
    return NotificationGroup(
        group_key=key,
        type=row.type,
        status_id=row.status_id,
        notifications_count=1,
        most_recent_id=row.id,
        latest_at=row.created_at,
        sample_account_ids=(row.from_account_id,),
        page_min_id=row.id if paginated else None,
        page_max_id=row.id if paginated else None,
        account_warning_id=row.account_warning_id,
    )


def _summarised(row: Notification, summary: GroupSummary, *, paginated: bool) -> NotificationGroup:
    return NotificationGroup(
        group_key=summary.group_key,
        type=row.type,
        status_id=row.status_id,
        notifications_count=summary.notifications_count,
        most_recent_id=summary.most_recent_id,
        latest_at=summary.latest_at,
        sample_account_ids=summary.sample_account_ids,
        page_min_id=(summary.page_min_id or row.id) if paginated else None,
        page_max_id=summary.most_recent_id if paginated else None,
    )


class NotificationGroupService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def page(
        self,
        viewer_id: int,
        page: PageRequest,
        where: NotificationFilter,
        grouped_types: frozenset[str] = GROUPABLE_TYPES,
    ) -> GroupedPage:
        window = page.limit * GROUP_SCAN_FACTOR
        async with self.store.read() as tx:
            rows = await tx.notifications.page(
                viewer_id, dataclasses.replace(page, limit=window), where
            )
            walked = rows[::-1] if page.ascending else rows
            representatives = walk(walked, page.limit, grouped_types)
            if not representatives:
                return GroupedPage(groups=[], accounts=[], statuses=[])
            ids = [row.id for _, row in representatives]
            top, bottom = max(ids), min(ids)
            if len(rows) == window and len(representatives) < page.limit:
                # The window ran out first: the page covers everything it read.
                top, bottom = max(top, rows[0].id), min(bottom, rows[-1].id)
            summaries = await tx.notification_groups.summaries(
                viewer_id,
                [key for key, _ in representatives if not key.startswith(UNGROUPED_PREFIX)],
                where,
                top_id=top,
                bottom_id=bottom,
            )
            if page.ascending:
                representatives.reverse()
            groups = [
                _summarised(row, summaries[key], paginated=True)
                if key in summaries
                else _alone(key, row, paginated=True)
                for key, row in representatives
            ]
            hydrated = await _hydrate(tx, viewer_id, groups)
        return dataclasses.replace(hydrated, cursor_ids=[top, bottom])

    async def group(self, viewer_id: int, group_key: str) -> GroupedPage:
        """One group, whole (not limited to a page); NotFound if the viewer has none of it."""
        if not usable_group_key(group_key):
            raise NotFound()
        async with self.store.read() as tx:
            rows = await tx.notifications.page(
                viewer_id, PageRequest(limit=1), NotificationFilter(group_key=group_key)
            )
            if not rows:
                raise NotFound()
            row = rows[0]
            key = row.grouping_key()
            summaries = (
                await tx.notification_groups.summaries(viewer_id, [key], NotificationFilter())
                if not key.startswith(UNGROUPED_PREFIX)
                else {}
            )
            group = (
                _summarised(row, summaries[key], paginated=False)
                if key in summaries
                else _alone(key, row, paginated=False)
            )
            hydrated = await _hydrate(tx, viewer_id, [group])
        if not hydrated.groups:
            raise NotFound()
        return hydrated

    async def accounts(self, viewer_id: int, group_key: str, page: PageRequest) -> GroupAccounts:
        """The senders of the group's notifications, newest first, paginated by notification."""
        if not usable_group_key(group_key):
            raise NotFound()
        async with self.store.read() as tx:
            rows = await tx.notifications.page(
                viewer_id, page, NotificationFilter(group_key=group_key)
            )
            found = await tx.accounts.get_many(list({row.from_account_id for row in rows}))
        return GroupAccounts(
            accounts=[found[r.from_account_id] for r in rows if r.from_account_id in found],
            cursor_ids=[row.id for row in rows],
        )

    async def dismiss(self, viewer_id: int, group_key: str) -> None:
        """As Mastodon: every notification of the group goes; an unknown key is no error."""
        if not usable_group_key(group_key):
            return
        async with self.store.write() as tx:
            await tx.notification_groups.dismiss(viewer_id, group_key)

    async def unread_count(
        self,
        viewer_id: int,
        limit: int,
        where: NotificationFilter,
        grouped_types: frozenset[str] = GROUPABLE_TYPES,
    ) -> int:
        """Groups formed by the notifications after the "notifications" marker, up to
        ``limit``."""
        async with self.store.read() as tx:
            markers = await tx.notifications.markers(viewer_id, ["notifications"])
            marker = markers.get("notifications")
            after = marker.last_read_id if marker is not None else None
            return await tx.notification_groups.count_after(
                viewer_id, after, limit, where, grouped_types
            )


async def _hydrate(
    tx: Transaction, viewer_id: int, groups: Sequence[NotificationGroup]
) -> GroupedPage:
    """Accounts in one query, statuses in one present_statuses call. A group whose status
    the viewer may no longer see is left out, as v1 leaves out such a notification."""
    account_ids = list(dict.fromkeys(a for group in groups for a in group.sample_account_ids))
    accounts = await tx.accounts.get_many(account_ids) if account_ids else {}
    status_ids = list(dict.fromkeys(g.status_id for g in groups if g.status_id is not None))
    visible = (
        await present_statuses(tx, status_ids, viewer_id, context="notifications")
        if status_ids
        else []
    )
    statuses = {view.status.id: view for view in visible}
    warning_ids = [g.account_warning_id for g in groups if g.account_warning_id is not None]
    warnings = await tx.account_moderation.warnings(warning_ids) if warning_ids else {}
    kept: list[NotificationGroup] = []
    for group in groups:
        samples = tuple(a for a in group.sample_account_ids if a in accounts)
        if not samples or (group.status_id is not None and group.status_id not in statuses):
            continue
        warning = None
        if group.account_warning_id is not None:
            warning = warnings.get(group.account_warning_id)
            if warning is None:
                continue
        kept.append(dataclasses.replace(group, sample_account_ids=samples, warning=warning))
    named_accounts = dict.fromkeys(a for group in kept for a in group.sample_account_ids)
    named_statuses = dict.fromkeys(g.status_id for g in kept if g.status_id is not None)
    return GroupedPage(
        groups=kept,
        accounts=[accounts[account_id] for account_id in named_accounts],
        statuses=[statuses[status_id] for status_id in named_statuses],
    )
