"""Notification policy use cases (Mastodon 4.3): screening a new notification, the policy
itself, and the notification requests that collect what it filtered."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from godwit.domain.accounts import Account
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.notification_policy import (
    FILTERABLE_TYPES,
    POLICY_FIELDS,
    NotificationPolicy,
    NotificationRequest,
    PolicyAction,
    PolicySummary,
    decide,
)
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import StatusView
from godwit.domain.streaming import notifications_merged_event
from godwit.ports.store import Store, Transaction
from godwit.services.presenting import present_statuses

MAX_BULK_REQUESTS = 100


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def screen(
    tx: Transaction, *, recipient_id: int, from_account_id: int, type: str, status_id: int | None
) -> PolicyAction:
    """What the recipient's policy does with this would-be notification (at most one query;
    none for the types a policy never holds back)."""
    if type not in FILTERABLE_TYPES:
        return PolicyAction.ACCEPT
    screening = await tx.notification_policies.screening(recipient_id, from_account_id, status_id)
    if screening is None:
        return PolicyAction.ACCEPT
    return decide(screening, type, _now())


async def hold_back(
    tx: Transaction, *, recipient_id: int, from_account_id: int, status_id: int | None
) -> None:
    """A notification was stored as filtered: open or refresh the sender's request."""
    await tx.notification_policies.record_request(recipient_id, from_account_id, status_id, _now())


@dataclass(frozen=True, slots=True)
class PolicyView:
    policy: NotificationPolicy
    summary: PolicySummary


@dataclass(frozen=True, slots=True)
class RequestView:
    request: NotificationRequest
    account: Account
    last_status: StatusView | None


def parse_policy_changes(values: Mapping[str, str | None]) -> dict[str, PolicyAction]:
    """The fields a PATCH names, each accept|filter|drop; anything else is a 422."""
    changes: dict[str, PolicyAction] = {}
    errors: dict[str, list[tuple[str, str]]] = {}
    for name in POLICY_FIELDS:
        value = values.get(name)
        if value is None:
            continue
        try:
            changes[name] = PolicyAction(value.strip().lower())
        except ValueError:
            errors[name] = [("ERR_INCLUSION", "must be one of accept, filter or drop")]
    if errors:
        raise Invalid(f"Validation failed: {', '.join(sorted(errors))} is not valid", errors)
    return changes


class NotificationPolicyService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def policy(self, viewer_id: int) -> PolicyView:
        async with self.store.read() as tx:
            return PolicyView(
                policy=await tx.notification_policies.get(viewer_id),
                summary=await tx.notification_policies.summary(viewer_id),
            )

    async def update_policy(
        self, viewer_id: int, changes: Mapping[str, PolicyAction]
    ) -> PolicyView:
        async with self.store.write() as tx:
            current = await tx.notification_policies.get(viewer_id)
            policy = dataclasses.replace(current, **changes)
            if changes:
                await tx.notification_policies.save(viewer_id, policy, _now())
            summary = await tx.notification_policies.summary(viewer_id)
        return PolicyView(policy=policy, summary=summary)

    # --- requests ------------------------------------------------------------------------

    async def requests(self, viewer_id: int, page: PageRequest) -> list[RequestView]:
        async with self.store.read() as tx:
            found = await tx.notification_policies.requests_page(viewer_id, page)
            return await _hydrate(tx, viewer_id, found)

    async def request(self, viewer_id: int, request_id: int) -> RequestView:
        async with self.store.read() as tx:
            found = await tx.notification_policies.requests_by_ids(viewer_id, [request_id])
            views = await _hydrate(tx, viewer_id, found)
        if not views:
            raise NotFound()
        return views[0]

    async def accept(self, viewer_id: int, request_ids: Sequence[int]) -> None:
        """Future notifications from the senders go through; their filtered ones are shown."""
        async with self.store.write() as tx:
            senders = await _senders(tx, viewer_id, request_ids)
            await tx.notification_policies.accept(viewer_id, senders, _now())
            if senders:
                tx.events.emit(notifications_merged_event(viewer_id))

    async def dismiss(self, viewer_id: int, request_ids: Sequence[int]) -> None:
        """The senders' filtered notifications are deleted (new ones open a new request)."""
        async with self.store.write() as tx:
            senders = await _senders(tx, viewer_id, request_ids)
            await tx.notification_policies.dismiss(viewer_id, senders)


async def _senders(tx: Transaction, viewer_id: int, request_ids: Sequence[int]) -> list[int]:
    """Every id must name one of the viewer's pending requests, or nothing is written."""
    wanted = set(request_ids)
    if not wanted:
        raise NotFound()
    found = await tx.notification_policies.requests_by_ids(viewer_id, sorted(wanted))
    if len(found) != len(wanted):
        raise NotFound()
    return [request.from_account_id for request in found]


async def _hydrate(
    tx: Transaction, viewer_id: int, found: Sequence[NotificationRequest]
) -> list[RequestView]:
    """Accounts in one query, last statuses in one present_statuses call."""
    if not found:
        return []
    accounts = await tx.accounts.get_many([request.from_account_id for request in found])
    status_ids = [r.last_status_id for r in found if r.last_status_id is not None]
    visible = (
        await present_statuses(tx, status_ids, viewer_id, context="notifications")
        if status_ids
        else []
    )
    by_id = {view.status.id: view for view in visible}
    views = []
    for request in found:
        account = accounts.get(request.from_account_id)
        if account is None:
            continue
        status = by_id.get(request.last_status_id) if request.last_status_id else None
        views.append(RequestView(request=request, account=account, last_status=status))
    return views
