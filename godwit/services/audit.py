"""Who may moderate, and the audit log every moderator and admin action writes.

``load_staff`` checks the actor's role inside the acting transaction, and ``record`` adds
the audit entry in that same transaction: an action and its entry commit together or not
at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from godwit.domain.accounts import Account
from godwit.domain.audit import AuditEntry, AuditQuery, check_action_filter
from godwit.domain.errors import Forbidden
from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.domain.roles import NOT_STAFF, Actor, Staff, check_staff, operator_staff
from godwit.ports.store import Store, Transaction


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _IncreasingIds:
    """Audit ids as ``new_id`` makes them, but strictly increasing within the process, so
    the entries of one action (a suspension and the report it resolves) list in the order
    they were written even within one millisecond. The log is staff-only: ids that follow
    each other there reveal nothing."""

    def __init__(self) -> None:
        self.last = 0

    def __call__(self) -> int:
        self.last = max(new_id(), self.last + 1)
        return self.last


_audit_id = _IncreasingIds()


def account_name(account: Account) -> str:
    return f"@{account.acct}"


async def load_staff(tx: Transaction, actor: Actor, *, admin: bool = False) -> Staff:
    """The actor as staff, or ``Forbidden``: a member, a pending, disabled or suspended
    login, or (with ``admin``) a moderator."""
    if actor.account_id is None:
        return operator_staff()
    user = await tx.accounts.get_user_by_account(actor.account_id)
    account = await tx.accounts.get(actor.account_id)
    if user is None or account is None or not user.can_sign_in or account.suspended:
        raise Forbidden(NOT_STAFF)
    check_staff(user.role, admin=admin)
    return Staff(account_id=account.id, name=account_name(account), role=user.role)


@dataclass(frozen=True, slots=True)
class Target:
    """What an action is about, as the audit log names it."""

    type: str
    id: int | None
    name: str
    account_id: int | None = None

    @classmethod
    def account(cls, account: Account) -> Target:
        return cls("account", account.id, account_name(account), account.id)


async def record(
    tx: Transaction,
    staff: Staff,
    action: str,
    target: Target,
    *,
    reason: str = "",
    details: dict[str, object] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        id=_audit_id(),
        created_at=now(),
        actor_account_id=staff.account_id,
        actor_name=staff.name,
        action=action,
        target_type=target.type,
        target_id=target.id,
        target_account_id=target.account_id,
        target_name=target.name,
        reason=reason,
        details=details or {},
    )
    await tx.audit_log.append(entry)
    return entry


class AuditService:
    """Reading the audit log: staff only (Mastodon's view_audit_log permission)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def listing(self, actor: Actor, query: AuditQuery, page: PageRequest) -> list[AuditEntry]:
        checked = AuditQuery(
            actor_account_id=query.actor_account_id,
            target_account_id=query.target_account_id,
            action=check_action_filter(query.action),
            target_type=query.target_type or None,
        )
        async with self.store.read() as tx:
            await load_staff(tx, actor)
            return await tx.audit_log.page(checked, page)
