"""Staff roles and who may act on whom.

Three roles, as issue 4 asks: ``member``, ``moderator``, ``admin``. Moderators act on
members and their posts and work the queue; admins may also change roles and the server's
settings. Nobody acts on themselves or on someone of equal or higher rank (a moderator
cannot suspend an admin, nor another moderator), as Mastodon's role positions decide. The
operator at the command line stands above every role: shell access already means access
to the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from godwit.domain.accounts import ROLES, Role
from godwit.domain.errors import Forbidden

_RANK: dict[Role, int] = {"member": 0, "moderator": 1, "admin": 2}
OPERATOR_NAME = "operator (command line)"
NOT_STAFF = "This action requires a moderator"
NOT_ADMIN = "This action requires an administrator"


def rank(role: Role) -> int:
    return _RANK.get(role, 0)


def is_staff(role: Role) -> bool:
    return rank(role) >= _RANK["moderator"]


def is_admin(role: Role) -> bool:
    return rank(role) >= _RANK["admin"]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who asks for a moderation action: a signed-in account, or the operator at the
    command line (``account_id`` None). Services check the account's role themselves, in
    the transaction that acts, so a role removed a moment ago no longer works."""

    account_id: int | None

    @property
    def is_operator(self) -> bool:
        return self.account_id is None


OPERATOR = Actor(account_id=None)


@dataclass(frozen=True, slots=True)
class Staff:
    """An actor whose role was checked: what the audit log records about them."""

    account_id: int | None
    name: str  # "@username", or OPERATOR_NAME
    role: Role

    @property
    def is_operator(self) -> bool:
        return self.account_id is None

    def outranks(self, role: Role) -> bool:
        return self.is_operator or rank(self.role) > rank(role)


def operator_staff() -> Staff:
    return Staff(account_id=None, name=OPERATOR_NAME, role="admin")


def check_staff(role: Role, *, admin: bool) -> None:
    """Raise ``Forbidden`` unless ``role`` may perform a moderator (or admin) action."""
    if admin and not is_admin(role):
        raise Forbidden(NOT_ADMIN)
    if not is_staff(role):
        raise Forbidden(NOT_STAFF)


def check_may_act_on(staff: Staff, target_account_id: int, target_role: Role) -> None:
    """Staff never act on themselves, nor on an equal or higher role."""
    if staff.account_id == target_account_id:
        raise Forbidden("You cannot take moderation actions on your own account")
    if not staff.outranks(target_role):
        raise Forbidden("You cannot take moderation actions on staff of your rank or higher")


def known_role(role: str) -> bool:
    return role in ROLES
