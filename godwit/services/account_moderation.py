"""Moderators' actions on accounts: warn, mark sensitive, limit, disable, suspend and their
undoing; approving or rejecting sign-ups; and (admins) changing roles.

Each action is one write: the change, the warning the member is shown (with its
``moderation_warning`` notification), the resolution of the report it answers, and the
audit entry commit together. Suspension deletes nothing: tokens are revoked, sign-in is
refused and the profile and posts are hidden, and unsuspending within the grace period
(30 days) brings everything back.
"""

from __future__ import annotations

from dataclasses import dataclass

from godwit.domain import audit
from godwit.domain.account_actions import (
    AccountAction,
    AccountWarning,
    MemberState,
    restorable,
)
from godwit.domain.accounts import ROLES, Account, Role
from godwit.domain.audit import check_reason
from godwit.domain.errors import Conflict, Forbidden, Invalid, NotFound
from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.domain.posting import AccountStatusesQuery
from godwit.domain.posts import StatusView, Visibility
from godwit.domain.roles import Actor, Staff, check_may_act_on
from godwit.domain.streaming import NOTIFICATION, StreamEvent, user_channel
from godwit.ports.store import Store, Transaction
from godwit.services.audit import Target, load_staff, now, record
from godwit.services.mod_queue import resolve_item

_ACTION_AUDIT = {
    AccountAction.NONE: audit.ACCOUNT_WARN,
    AccountAction.SENSITIVE: audit.ACCOUNT_SENSITIVE,
    AccountAction.SILENCE: audit.ACCOUNT_LIMIT,
    AccountAction.DISABLE: audit.ACCOUNT_DISABLE,
    AccountAction.SUSPEND: audit.ACCOUNT_SUSPEND,
}
MAX_WARNINGS_SHOWN = 20
ACCOUNT_FILTERS = (
    "active", "pending", "disabled", "silenced", "suspended", "sensitized", "staff",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ModeratedAccount:
    """An account as moderators see it: its standing and the warnings it was sent."""

    account: Account
    state: MemberState
    warnings: tuple[AccountWarning, ...] = ()


async def send_warning(
    tx: Transaction,
    staff: Staff,
    target: Account,
    action: str,
    text: str,
    *,
    status_ids: tuple[int, ...] = (),
    report_id: int | None = None,
    notify: bool = True,
) -> AccountWarning:
    """Record the decision as the member sees it and, for a local member, notify them."""
    warning = AccountWarning(
        id=new_id(),
        target_account_id=target.id,
        action=action,
        text=text,
        status_ids=status_ids,
        created_at=now(),
        actor_account_id=staff.account_id,
        report_id=report_id,
    )
    await tx.account_moderation.add_warning(warning)
    if notify and target.local:
        notification_id = await tx.account_moderation.add_warning_notification(
            target.id, warning.id, warning.created_at
        )
        if notification_id is not None:
            tx.events.emit(StreamEvent(user_channel(target.id), NOTIFICATION, notification_id))
    return warning


async def load_target(
    tx: Transaction, staff: Staff, account_id: int
) -> tuple[Account, MemberState]:
    """The account acted upon, checked against the actor's rank."""
    account = await tx.accounts.get(account_id)
    state = (await tx.account_moderation.states([account_id])).get(account_id)
    if account is None or state is None:
        raise NotFound()
    check_may_act_on(staff, account_id, state.role)
    return account, state


def _need_login(state: MemberState) -> int:
    if state.user_id is None:
        raise Invalid("This action applies only to local accounts")
    return state.user_id


class AccountModerationService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ----- actions ---------------------------------------------------------------------

    async def act(
        self,
        actor: Actor,
        account_id: int,
        action: AccountAction,
        *,
        text: str = "",
        notify: bool = True,
        report_id: int | None = None,
    ) -> ModeratedAccount:
        """Take ``action`` (``none`` only warns), warn the member with ``text``, and
        resolve the report ``report_id`` if given — one transaction."""
        text = check_reason(text)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor)
            account, state = await load_target(tx, staff, account_id)
            at = now()
            if action is AccountAction.SENSITIVE:
                await tx.account_moderation.set_sensitized(account_id, state.sensitized_at or at)
            elif action is AccountAction.SILENCE:
                await tx.account_moderation.set_silenced(account_id, state.silenced_at or at)
            elif action is AccountAction.DISABLE:
                await tx.account_moderation.set_disabled(_need_login(state), True)
            elif action is AccountAction.SUSPEND:
                await tx.account_moderation.set_suspended(account_id, state.suspended_at or at)
                if state.user_id is not None:
                    await tx.account_moderation.revoke_tokens(state.user_id, at)
            if report_id is not None:
                item = await tx.moderation_queue.get(report_id)
                if item is None or item.target_account_id != account_id:
                    raise Invalid(
                        "Validation failed: report_id must be a report about this account",
                        {"report_id": [("ERR_INVALID", "is not a report about this account")]},
                    )
            # A suspended member cannot read notifications: the warning is kept for them.
            notified = notify and action is not AccountAction.SUSPEND
            warning = await send_warning(
                tx, staff, account, action.value, text, report_id=report_id, notify=notified
            )
            if report_id is not None:
                resolution = "warn" if action is AccountAction.NONE else action.value
                await resolve_item(tx, staff, report_id, resolution)
            details: dict[str, object] = {"notified": notified, "warning_id": str(warning.id)}
            if report_id is not None:
                details["report_id"] = str(report_id)
            await record(
                tx, staff, _ACTION_AUDIT[action], Target.account(account), reason=text,
                details=details,
            )  # fmt: skip
            return await self._moderated(tx, account_id)

    async def warn(self, actor: Actor, account_id: int, text: str) -> ModeratedAccount:
        return await self.act(actor, account_id, AccountAction.NONE, text=text)

    async def limit(self, actor: Actor, account_id: int, text: str = "") -> ModeratedAccount:
        return await self.act(actor, account_id, AccountAction.SILENCE, text=text)

    async def suspend(self, actor: Actor, account_id: int, text: str = "") -> ModeratedAccount:
        return await self.act(actor, account_id, AccountAction.SUSPEND, text=text)

    async def sensitive(self, actor: Actor, account_id: int, text: str = "") -> ModeratedAccount:
        return await self.act(actor, account_id, AccountAction.SENSITIVE, text=text)

    async def disable(self, actor: Actor, account_id: int, text: str = "") -> ModeratedAccount:
        return await self.act(actor, account_id, AccountAction.DISABLE, text=text)

    # ----- undoing ---------------------------------------------------------------------

    async def unsuspend(self, actor: Actor, account_id: int, reason: str = "") -> ModeratedAccount:
        """Bring a suspended account back, while its grace period runs."""
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor)
            account, state = await load_target(tx, staff, account_id)
            if state.suspended_at is None:
                raise Conflict("The account is not suspended")
            if not restorable(state.suspended_at, now()):
                raise Forbidden("The grace period for restoring this account is over")
            await tx.account_moderation.set_suspended(account_id, None)
            await record(tx, staff, audit.ACCOUNT_UNSUSPEND, Target.account(account), reason=reason)
            return await self._moderated(tx, account_id)

    async def unlimit(self, actor: Actor, account_id: int, reason: str = "") -> ModeratedAccount:
        return await self._undo(actor, account_id, "silenced", reason)

    async def unsensitive(
        self, actor: Actor, account_id: int, reason: str = ""
    ) -> ModeratedAccount:
        return await self._undo(actor, account_id, "sensitized", reason)

    async def enable(self, actor: Actor, account_id: int, reason: str = "") -> ModeratedAccount:
        return await self._undo(actor, account_id, "disabled", reason)

    async def _undo(
        self, actor: Actor, account_id: int, what: str, reason: str
    ) -> ModeratedAccount:
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor)
            account, state = await load_target(tx, staff, account_id)
            repo = tx.account_moderation
            if what == "silenced" and state.silenced_at is not None:
                await repo.set_silenced(account_id, None)
                action = audit.ACCOUNT_UNLIMIT
            elif what == "sensitized" and state.sensitized_at is not None:
                await repo.set_sensitized(account_id, None)
                action = audit.ACCOUNT_UNSENSITIVE
            elif what == "disabled" and state.disabled:
                await repo.set_disabled(_need_login(state), False)
                action = audit.ACCOUNT_ENABLE
            else:
                raise Conflict(f"The account is not {what}")
            await record(tx, staff, action, Target.account(account), reason=reason)
            return await self._moderated(tx, account_id)

    # ----- sign-ups --------------------------------------------------------------------

    async def approve(self, actor: Actor, account_id: int, reason: str = "") -> ModeratedAccount:
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor)
            account, state = await load_target(tx, staff, account_id)
            if not state.pending or not await tx.account_moderation.approve(_need_login(state)):
                raise Conflict("The account is not waiting for approval")
            await record(tx, staff, audit.ACCOUNT_APPROVE, Target.account(account), reason=reason)
            return await self._moderated(tx, account_id)

    async def reject(self, actor: Actor, account_id: int, reason: str = "") -> None:
        """Delete a pending sign-up for real (the audit log keeps its name, not its data)."""
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor)
            account, state = await load_target(tx, staff, account_id)
            if not state.pending or not await tx.account_moderation.delete_pending(account_id):
                raise Conflict("The account is not waiting for approval")
            await record(tx, staff, audit.ACCOUNT_REJECT, Target.account(account), reason=reason)

    async def pending(self, actor: Actor, page: PageRequest) -> list[ModeratedAccount]:
        async with self.store.read() as tx:
            await load_staff(tx, actor)
            states = await tx.account_moderation.pending(page)
            found = await tx.accounts.get_many([state.account_id for state in states])
        return [
            ModeratedAccount(account=found[s.account_id], state=s)
            for s in states
            if s.account_id in found
        ]

    # ----- roles (admins) --------------------------------------------------------------

    async def set_role(
        self, actor: Actor, account_id: int, role: Role, reason: str = ""
    ) -> ModeratedAccount:
        """Admins change the role of members and moderators; only the operator (the
        command line) changes an admin's."""
        if role not in ROLES:
            raise Invalid(f"Unknown role {role!r}", {"role": [("ERR_INCLUSION", "is unknown")]})
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor, admin=True)
            account, state = await load_target(tx, staff, account_id)
            user_id = _need_login(state)
            if state.role != role:
                await tx.accounts.set_role(user_id, role)
                details: dict[str, object] = {"from": state.role, "to": role}
                await record(
                    tx, staff, audit.ACCOUNT_ROLE, Target.account(account), reason=reason,
                    details=details,
                )  # fmt: skip
            return await self._moderated(tx, account_id)

    async def set_role_by_username(
        self, actor: Actor, username: str, role: Role, reason: str = ""
    ) -> ModeratedAccount:
        async with self.store.read() as tx:
            account = await tx.accounts.find_local(username)
        if account is None:
            raise NotFound(f"No local user named {username}")
        return await self.set_role(actor, account.id, role, reason)

    # ----- reading ---------------------------------------------------------------------

    async def account(self, actor: Actor, account_id: int) -> ModeratedAccount:
        async with self.store.read() as tx:
            await load_staff(tx, actor)
            return await self._moderated(tx, account_id)

    async def accounts(
        self, actor: Actor, page: PageRequest, *, query: str = "", status: str | None = None
    ) -> list[ModeratedAccount]:
        """Local accounts for moderators: by name or email prefix, and standing."""
        if status not in (None, "", *ACCOUNT_FILTERS):
            raise Invalid(
                "Validation failed: status is not included in the list",
                {"status": [("ERR_INCLUSION", "is not included in the list")]},
            )
        async with self.store.read() as tx:
            await load_staff(tx, actor)
            ids = await tx.account_moderation.local_accounts(
                page, query=query[:100], status=status or None
            )
            found = await tx.accounts.get_many(ids)
            states = await tx.account_moderation.states(ids)
        return [
            ModeratedAccount(account=found[i], state=states[i])
            for i in ids
            if i in found and i in states
        ]

    async def statuses(self, actor: Actor, account_id: int, page: PageRequest) -> list[StatusView]:
        """An account's posts as moderators review them, newest first: public, quiet public
        and followers-only whoever the moderator follows, and also while the account is
        suspended. Private mentions stay out: a conversation is shown to moderators only
        when a participant reports it (with the report)."""
        async with self.store.read() as tx:
            staff = await load_staff(tx, actor)
            if await tx.accounts.get(account_id) is None:
                raise NotFound()
            query = AccountStatusesQuery(
                account_id=account_id,
                visibilities=(Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE),
            )
            ids = await tx.statuses.account_statuses(query, page)
            views = await tx.statuses.load_views(ids, staff.account_id) if ids else {}
        return [views[i] for i in ids if i in views]

    async def _moderated(self, tx: Transaction, account_id: int) -> ModeratedAccount:
        account = await tx.accounts.get(account_id)
        state = (await tx.account_moderation.states([account_id])).get(account_id)
        if account is None or state is None:
            raise NotFound()
        warnings = await tx.account_moderation.warnings_for(account_id, MAX_WARNINGS_SHOWN)
        return ModeratedAccount(account=account, state=state, warnings=tuple(warnings))
