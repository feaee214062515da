"""Moderators' actions on posts: delete one for real, or mark it sensitive.

Deleting goes through the same path as an author's own delete (the row and what cascades
from it, media files by a job, the counters, the streaming ``delete``), so nothing of the
post is left behind — the audit log records who deleted which post of whom and why, not
its content. The author is told in a ``moderation_warning`` notification unless the
moderator chooses not to.
"""

from __future__ import annotations

from godwit.domain import audit
from godwit.domain.account_actions import DELETE_STATUSES, MARK_STATUSES_AS_SENSITIVE
from godwit.domain.audit import check_reason
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.posts import Status
from godwit.domain.roles import Actor, Staff
from godwit.ports.store import Store, Transaction
from godwit.services.account_moderation import load_target, send_warning
from godwit.services.audit import Target, load_staff, record
from godwit.services.mod_queue import resolve_item
from godwit.services.status_reactions import delete_status


async def _status(tx: Transaction, staff: Staff, status_id: int) -> tuple[Status, Target]:
    status = await tx.statuses.get(status_id)
    if status is None:
        raise NotFound()
    author, _state = await load_target(tx, staff, status.account_id)
    return status, Target("status", status.id, status.url or status.uri, author.id)


async def _about_report(tx: Transaction, report_id: int | None, status: Status) -> None:
    if report_id is None:
        return
    item = await tx.moderation_queue.get(report_id)
    if item is None or item.target_account_id != status.account_id:
        raise Invalid(
            "Validation failed: report_id must be a report about this post's author",
            {"report_id": [("ERR_INVALID", "is not a report about this account")]},
        )


class StatusModerationService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def delete(
        self,
        actor: Actor,
        status_id: int,
        *,
        reason: str = "",
        notify: bool = True,
        report_id: int | None = None,
    ) -> None:
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor)
            status, target = await _status(tx, staff, status_id)
            await _about_report(tx, report_id, status)
            author = await tx.accounts.get(status.account_id)
            assert author is not None
            await send_warning(
                tx, staff, author, DELETE_STATUSES, reason, status_ids=(status.id,),
                report_id=report_id, notify=notify,
            )  # fmt: skip
            await delete_status(tx, status.id)
            if report_id is not None:
                await resolve_item(tx, staff, report_id, DELETE_STATUSES)
            details: dict[str, object] = {
                "visibility": status.visibility.value,
                "created_at": status.created_at.isoformat(),
                "notified": notify,
            }
            await record(tx, staff, audit.STATUS_DELETE, target, reason=reason, details=details)

    async def mark_sensitive(
        self,
        actor: Actor,
        status_id: int,
        *,
        reason: str = "",
        notify: bool = True,
        report_id: int | None = None,
    ) -> None:
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor)
            status, target = await _status(tx, staff, status_id)
            await _about_report(tx, report_id, status)
            await tx.account_moderation.mark_status_sensitive(status.id)
            author = await tx.accounts.get(status.account_id)
            assert author is not None
            await send_warning(
                tx, staff, author, MARK_STATUSES_AS_SENSITIVE, reason, status_ids=(status.id,),
                report_id=report_id, notify=notify,
            )  # fmt: skip
            if report_id is not None:
                await resolve_item(tx, staff, report_id, MARK_STATUSES_AS_SENSITIVE)
            await record(
                tx, staff, audit.STATUS_SENSITIVE, target, reason=reason,
                details={"notified": notify},
            )  # fmt: skip
