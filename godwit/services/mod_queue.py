"""The moderators' queue: listing items with their evidence, assigning, resolving, reopening.

Items are reports and posts the moderation pipeline held (``content_review``). A page of items
comes with everything a moderator needs to decide, loaded in a bounded number of queries
whatever the page size: the reports (one query), every account named (one), the reported
posts and the posts they reply to (one ``load_views``), and the rules the reports cite.
Moderators see reported posts whatever their visibility: a report of a followers-only post
must show the post.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from godwit.domain.account_actions import MemberState
from godwit.domain.accounts import Account
from godwit.domain.audit import QUEUE_ASSIGN, QUEUE_REOPEN, QUEUE_RESOLVE, QUEUE_UNASSIGN
from godwit.domain.content_review import StatusReview
from godwit.domain.errors import Conflict, Forbidden, Invalid, NotFound
from godwit.domain.instance import InstanceRule
from godwit.domain.mod_queue import (
    HELD_STATUS,
    QueueItem,
    QueueQuery,
    check_kind,
    check_note,
    check_resolution,
    check_state,
)
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import StatusView
from godwit.domain.reports import Report
from godwit.domain.roles import Actor, Staff, is_staff
from godwit.ports.store import Store, Transaction
from godwit.services.audit import Target, load_staff, now, record


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One queue item with its evidence."""

    item: QueueItem
    target: Account
    report: Report | None = None
    reporter: Account | None = None
    assignee: Account | None = None
    resolved_by: Account | None = None
    statuses: tuple[StatusView, ...] = ()  # the reported posts still there, in report order
    parents: tuple[StatusView, ...] = ()  # the posts those reply to (the thread's context)
    rules: tuple[InstanceRule, ...] = ()  # the rules the report cites
    # The standing of every account named (the admin API shows them as Admin::Account).
    states: Mapping[int, MemberState] = field(default_factory=dict)
    # A held post's review: the pipeline's verdict, the score and the reasons behind it.
    review: StatusReview | None = None


def item_target(item: QueueItem, target: Account) -> Target:
    return Target("queue_item", item.id, f"{item.kind} {item.id}", target.id)


def check_not_about_self(staff: Staff, item: QueueItem) -> None:
    """A moderator never closes or reopens an item about themselves: another one decides."""
    if staff.account_id is not None and staff.account_id == item.target_account_id:
        raise Forbidden("This item is about you: another moderator must handle it")


def check_not_held_post(item: QueueItem) -> None:
    """A held post is decided by approving or rejecting it (``content_review``), which
    resolves its item; closing or reopening the item alone would strand the post."""
    if item.kind == HELD_STATUS:
        raise Conflict("A held post is approved or rejected, not resolved")


async def resolve_item(
    tx: Transaction, staff: Staff, item_id: int, resolution: str, note: str = ""
) -> QueueItem:
    """Resolve an open item in the caller's transaction (an account action taken "about"
    a report resolves it in the same write); the audit entry included."""
    item = await tx.moderation_queue.get(item_id, for_update=True)
    if item is None:
        raise NotFound()
    if not item.open:
        raise Conflict("This item is already resolved")
    check_not_held_post(item)
    check_not_about_self(staff, item)
    at = now()
    await tx.moderation_queue.resolve(
        item_id, by_account_id=staff.account_id, resolution=resolution, note=note, at=at
    )
    target = await tx.accounts.get(item.target_account_id)
    name = item_target(item, target) if target is not None else Target("queue_item", item.id, "")
    await record(tx, staff, QUEUE_RESOLVE, name, reason=note, details={"action_taken": resolution})
    return item


async def entries(
    tx: Transaction, items: Sequence[QueueItem], viewer_id: int | None
) -> list[QueueEntry]:
    if not items:
        return []
    reports = await tx.reports.get_many([i.report_id for i in items if i.report_id is not None])
    account_ids: set[int] = set()
    for item in items:
        account_ids.add(item.target_account_id)
        account_ids.update(
            a for a in (item.assigned_account_id, item.resolved_by_account_id) if a is not None
        )
    account_ids.update(report.account_id for report in reports.values())
    accounts = await tx.accounts.get_many(sorted(account_ids))
    states = await tx.account_moderation.states(sorted(account_ids))
    held_ids = [item.status_id for item in items if item.status_id is not None]
    reviews = await tx.content_review.reviews(held_ids) if held_ids else {}
    status_ids = sorted({i for report in reports.values() for i in report.status_ids})
    status_ids = sorted({*status_ids, *held_ids})
    views = await tx.statuses.load_views(status_ids, viewer_id) if status_ids else {}
    parent_ids = sorted(
        {
            view.status.in_reply_to_id
            for view in views.values()
            if view.status.in_reply_to_id is not None
        }
        - set(views)
    )
    parents = await tx.statuses.load_views(parent_ids, viewer_id) if parent_ids else {}
    parents |= views
    rules = await tx.instance.rules_among([i for r in reports.values() for i in r.rule_ids])
    result = []
    for item in items:
        target = accounts.get(item.target_account_id)
        if target is None:
            continue
        report = reports.get(item.report_id) if item.report_id is not None else None
        about = report.status_ids if report else (item.status_id,) if item.status_id else ()
        shown = tuple(views[i] for i in about if i in views)
        replied = [view.status.in_reply_to_id for view in shown]
        result.append(
            QueueEntry(
                item=item,
                target=target,
                report=report,
                reporter=accounts.get(report.account_id) if report else None,
                assignee=_get(accounts, item.assigned_account_id),
                resolved_by=_get(accounts, item.resolved_by_account_id),
                statuses=shown,
                parents=tuple(parents[i] for i in dict.fromkeys(replied) if i in parents),
                rules=tuple(rules[i] for i in (report.rule_ids if report else ()) if i in rules),
                states=states,
                review=reviews.get(item.status_id) if item.status_id is not None else None,
            )
        )
    return result


def _get(accounts: dict[int, Account], account_id: int | None) -> Account | None:
    return accounts.get(account_id) if account_id is not None else None


class ModerationQueueService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def listing(self, actor: Actor, query: QueueQuery, page: PageRequest) -> list[QueueEntry]:
        checked = QueueQuery(
            state=check_state(query.state),
            kind=check_kind(query.kind),
            assigned_account_id=query.assigned_account_id,
            unassigned=query.unassigned,
            target_account_id=query.target_account_id,
            reporter_account_id=query.reporter_account_id,
        )
        async with self.store.read() as tx:
            staff = await load_staff(tx, actor)
            items = await tx.moderation_queue.page(checked, page)
            return await entries(tx, items, staff.account_id)

    async def get(self, actor: Actor, item_id: int) -> QueueEntry:
        async with self.store.read() as tx:
            staff = await load_staff(tx, actor)
            return await self._entry(tx, item_id, staff)

    async def _entry(self, tx: Transaction, item_id: int, staff: Staff) -> QueueEntry:
        item = await tx.moderation_queue.get(item_id)
        found = await entries(tx, [item], staff.account_id) if item is not None else []
        if not found:
            raise NotFound()
        return found[0]

    async def open_count(self, actor: Actor) -> int:
        async with self.store.read() as tx:
            await load_staff(tx, actor)
            return await tx.moderation_queue.count_open()

    async def assign_to_self(self, actor: Actor, item_id: int) -> QueueEntry:
        if actor.account_id is None:
            raise Invalid("The operator has no account to assign items to")
        return await self.assign(actor, item_id, actor.account_id)

    async def assign(self, actor: Actor, item_id: int, assignee_id: int | None) -> QueueEntry:
        """Assign the item to a moderator (None: unassign it)."""
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor)
            item = await tx.moderation_queue.get(item_id, for_update=True)
            if item is None:
                raise NotFound()
            assignee = None
            if assignee_id is not None:
                user = await tx.accounts.get_user_by_account(assignee_id)
                assignee = await tx.accounts.get(assignee_id)
                if user is None or assignee is None or not is_staff(user.role):
                    raise Invalid(
                        "Validation failed: assignee must be a moderator",
                        {"assigned_account_id": [("ERR_INVALID", "must be a moderator")]},
                    )
            if item.assigned_account_id != assignee_id:
                await tx.moderation_queue.assign(item_id, assignee_id, now())
                target = await self._target(tx, item)
                if assignee is None:
                    await record(tx, staff, QUEUE_UNASSIGN, target)
                else:
                    details: dict[str, object] = {"assignee": f"@{assignee.acct}"}
                    await record(tx, staff, QUEUE_ASSIGN, target, details=details)
            return await self._entry(tx, item_id, staff)

    async def unassign(self, actor: Actor, item_id: int) -> QueueEntry:
        return await self.assign(actor, item_id, None)

    async def resolve(
        self, actor: Actor, item_id: int, *, action_taken: str | None = None, note: str = ""
    ) -> QueueEntry:
        """Close the item, saying what was done ("none": nothing called for action)."""
        resolution = check_resolution(action_taken)
        note = check_note(note)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor)
            await resolve_item(tx, staff, item_id, resolution, note)
            return await self._entry(tx, item_id, staff)

    async def reopen(self, actor: Actor, item_id: int, *, note: str = "") -> QueueEntry:
        note = check_note(note)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor)
            item = await tx.moderation_queue.get(item_id, for_update=True)
            if item is None:
                raise NotFound()
            if item.open:
                raise Conflict("This item is already open")
            check_not_held_post(item)
            check_not_about_self(staff, item)
            await tx.moderation_queue.reopen(item_id, now())
            previous: dict[str, object] = {"previous_action_taken": item.resolution}
            await record(
                tx, staff, QUEUE_REOPEN, await self._target(tx, item), reason=note, details=previous
            )
            return await self._entry(tx, item_id, staff)

    async def _target(self, tx: Transaction, item: QueueItem) -> Target:
        target = await tx.accounts.get(item.target_account_id)
        if target is None:
            raise NotFound()
        return item_target(item, target)
