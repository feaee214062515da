"""Filing a report: a member tells the moderators about an account and some of its posts.

The report goes into the moderators' queue (services/mod_queue.py) in the same write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from godwit.domain.accounts import Account
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import new_id
from godwit.domain.mod_queue import OPEN, REPORT, QueueItem
from godwit.domain.reports import (
    MAX_CITED_RULES,
    MAX_REPORTED_STATUSES,
    Report,
    check_comment,
    report_category,
)
from godwit.ports.store import Store
from godwit.services.presenting import present_statuses


@dataclass(frozen=True, slots=True)
class ReportRequest:
    account_id: int
    status_ids: Sequence[int] = ()
    rule_ids: Sequence[int] = ()
    category: str | None = None
    comment: str = ""
    forward: bool = False


@dataclass(frozen=True, slots=True)
class FiledReport:
    report: Report
    target: Account


def _invalid(field: str, description: str) -> Invalid:
    return Invalid(
        f"Validation failed: {field} {description}", {field: [("ERR_INVALID", description)]}
    )


class ReportService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def file(self, reporter_id: int, request: ReportRequest) -> FiledReport:
        status_ids = list(dict.fromkeys(request.status_ids))
        rule_ids = list(dict.fromkeys(request.rule_ids))
        if len(status_ids) > MAX_REPORTED_STATUSES:
            raise _invalid("status_ids", "has too many items")
        if len(rule_ids) > MAX_CITED_RULES:
            raise _invalid("rule_ids", "has too many items")
        category = report_category(request.category, rule_ids)
        comment = check_comment(request.comment)
        async with self.store.write() as tx:
            target = await tx.accounts.get(request.account_id)
            if target is None:
                raise NotFound()
            if target.id == reporter_id:
                raise _invalid("account_id", "cannot be your own account")
            if status_ids:
                # Only posts the reporter can see and that the reported account wrote:
                # a report must not reveal, or attach, anything else.
                shown = await present_statuses(tx, status_ids, reporter_id)
                theirs = {view.status.id for view in shown if view.status.account_id == target.id}
                if set(status_ids) - theirs:
                    raise _invalid("status_ids", "must be posts of the reported account")
            if rule_ids:
                known = {rule.id for rule in await tx.instance.rules()}
                if set(rule_ids) - known:
                    raise _invalid("rule_ids", "must be rules of this server")
            report = Report(
                id=new_id(),
                account_id=reporter_id,
                target_account_id=target.id,
                status_ids=tuple(status_ids),
                rule_ids=tuple(rule_ids),
                category=category,
                comment=comment,
                # Forwarding is to a remote account's server: meaningless for local ones.
                forward=request.forward and not target.local,
                created_at=dt.datetime.now(dt.UTC),
            )
            await tx.reports.add(report)
            # The moderators' queue item, with the report's id, written with it.
            await tx.moderation_queue.add(
                QueueItem(
                    id=report.id,
                    kind=REPORT,
                    report_id=report.id,
                    target_account_id=target.id,
                    state=OPEN,
                    created_at=report.created_at,
                    updated_at=report.created_at,
                )
            )
        return FiledReport(report=report, target=target)
