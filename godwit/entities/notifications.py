"""The Notification entity (API v1)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from godwit.config import Settings
from godwit.domain.account_actions import AccountWarning
from godwit.domain.accounts import Account
from godwit.domain.posts import StatusView
from godwit.entities.accounts import render_account
from godwit.entities.common import iso
from godwit.entities.statuses import render_status
from godwit.services.notifications import NotificationView


class Renderer:
    """Renders each account and status once, however many notifications name it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.accounts: dict[int, dict[str, Any]] = {}
        self.statuses: dict[int, dict[str, Any]] = {}

    def account(self, account: Account) -> dict[str, Any]:
        if account.id not in self.accounts:
            self.accounts[account.id] = render_account(account, self.settings)
        return self.accounts[account.id]

    def status(self, view: StatusView) -> dict[str, Any]:
        if view.status.id not in self.statuses:
            self.statuses[view.status.id] = render_status(view, self.settings)
        return self.statuses[view.status.id]


def _render(view: NotificationView, renderer: Renderer) -> dict[str, Any]:
    notification = view.notification
    rendered: dict[str, Any] = {
        "id": str(notification.id),
        "type": notification.type,
        "created_at": iso(notification.created_at),
        "group_key": notification.grouping_key(),
        "account": renderer.account(view.account),
    }
    if notification.filtered:
        rendered["filtered"] = True  # held back by the policy (listed with include_filtered)
    if view.status is not None:
        rendered["status"] = renderer.status(view.status)
    if view.warning is not None:
        rendered["moderation_warning"] = render_account_warning(
            view.warning, renderer.account(view.account)
        )
    return rendered


def render_account_warning(warning: AccountWarning, target: dict[str, Any]) -> dict[str, Any]:
    """Mastodon's AccountWarning; ``target`` is the rendered account it concerns."""
    return {
        "id": str(warning.id),
        "action": warning.action,
        "text": warning.text,
        "status_ids": [str(i) for i in warning.status_ids] or None,
        "target_account": target,
        "appeal": None,
        "created_at": iso(warning.created_at),
    }


def render_notification(view: NotificationView, settings: Settings) -> dict[str, Any]:
    return _render(view, Renderer(settings))


def render_notifications(
    views: Sequence[NotificationView], settings: Settings
) -> list[dict[str, Any]]:
    renderer = Renderer(settings)
    return [_render(view, renderer) for view in views]
