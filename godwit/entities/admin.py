"""Mastodon's admin entities: Admin::Account and Admin::Report (staff only)."""

from __future__ import annotations

from typing import Any

from godwit.config import Settings
from godwit.domain.account_actions import MemberState
from godwit.domain.accounts import Account
from godwit.entities.accounts import render_account, render_role
from godwit.entities.common import iso, iso_or_none
from godwit.entities.instance import render_rule
from godwit.entities.statuses import render_status
from godwit.services.mod_queue import QueueEntry


def render_admin_account(
    account: Account, state: MemberState, settings: Settings
) -> dict[str, Any]:
    return {
        "id": str(account.id),
        "username": account.username,
        "domain": account.domain or None,
        "created_at": iso(state.created_at),
        "email": state.email,
        "ip": state.signup_ip or None,
        "ips": [],
        "locale": state.locale,
        "invite_request": state.signup_reason or None,
        "role": render_role(state.role),
        "confirmed": True,  # Godwit has no e-mail confirmation step
        "approved": state.approved,
        "disabled": state.disabled,
        "sensitized": state.sensitized_at is not None,
        "silenced": state.silenced_at is not None,
        "suspended": state.suspended_at is not None,
        "account": render_account(account, settings),
    }


def _named(entry: QueueEntry, account: Account | None, settings: Settings) -> dict[str, Any] | None:
    if account is None or account.id not in entry.states:
        return None
    return render_admin_account(account, entry.states[account.id], settings)


def render_admin_report(entry: QueueEntry, settings: Settings) -> dict[str, Any]:
    """A report as moderators see it; ``statuses`` are the reported posts still there."""
    report = entry.report
    assert report is not None
    item = entry.item
    resolved = not item.open
    return {
        "id": str(report.id),
        "action_taken": resolved,
        "action_taken_at": iso_or_none(item.resolved_at) if resolved else None,
        "category": report.category,
        "comment": report.comment,
        "forwarded": report.forward,
        "created_at": iso(report.created_at),
        "updated_at": iso(item.updated_at),
        "account": _named(entry, entry.reporter, settings),
        "target_account": _named(entry, entry.target, settings),
        "assigned_account": _named(entry, entry.assignee, settings),
        "action_taken_by_account": _named(entry, entry.resolved_by, settings),
        "statuses": [render_status(view, settings) for view in entry.statuses],
        "rules": [render_rule(rule) for rule in entry.rules],
    }
