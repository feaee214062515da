"""The Notification entity (API v1) and grouped notifications (API v2)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from godwit.api.entities.accounts import render_account
from godwit.api.entities.common import iso
from godwit.api.entities.statuses import render_status
from godwit.config import Settings
from godwit.domain.accounts import Account
from godwit.domain.notifications import group_key
from godwit.domain.posts import StatusView
from godwit.services.notifications import GroupedPage, NotificationGroup, NotificationView

# The account fields a PartialAccountWithAvatar keeps (API v2, expand_accounts=partial_avatars).
_PARTIAL_ACCOUNT_FIELDS = ("id", "acct", "url", "avatar", "avatar_static", "locked", "bot")


class _Renderer:
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


def _render(view: NotificationView, renderer: _Renderer) -> dict[str, Any]:
    notification = view.notification
    rendered: dict[str, Any] = {
        "id": str(notification.id),
        "type": notification.type,
        "created_at": iso(notification.created_at),
        "group_key": group_key(notification),
        "account": renderer.account(view.account),
    }
    if view.status is not None:
        rendered["status"] = renderer.status(view.status)
    return rendered


def render_notification(view: NotificationView, settings: Settings) -> dict[str, Any]:
    return _render(view, _Renderer(settings))


def render_notifications(
    views: Sequence[NotificationView], settings: Settings
) -> list[dict[str, Any]]:
    renderer = _Renderer(settings)
    return [_render(view, renderer) for view in views]


def _render_group(group: NotificationGroup) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "group_key": group.group_key,
        "notifications_count": group.count,
        "type": group.type,
        "most_recent_notification_id": group.most_recent.id,
        "page_min_id": str(group.oldest.id),
        "page_max_id": str(group.most_recent.id),
        "latest_page_notification_at": iso(group.most_recent.created_at),
        "sample_account_ids": [str(account_id) for account_id in group.sample_account_ids],
    }
    if group.status_id is not None:
        rendered["status_id"] = str(group.status_id)
    return rendered


def render_grouped(
    page: GroupedPage, settings: Settings, *, partial_avatars: bool = False
) -> dict[str, Any]:
    """GET /api/v2/notifications. With ``partial_avatars`` only each group's newest sender
    is a full account; the other senders come as partial accounts (avatars for a pile)."""
    renderer = _Renderer(settings)
    full_ids = (
        {group.sample_account_ids[0] for group in page.groups if group.sample_account_ids}
        if partial_avatars
        else {account.id for account in page.accounts}
    )
    accounts = [renderer.account(a) for a in page.accounts if a.id in full_ids]
    result: dict[str, Any] = {
        "accounts": accounts,
        "statuses": [renderer.status(view) for view in page.statuses],
        "notification_groups": [_render_group(group) for group in page.groups],
    }
    if partial_avatars:
        result["partial_accounts"] = [
            {name: renderer.account(a).get(name) for name in _PARTIAL_ACCOUNT_FIELDS}
            for a in page.accounts
            if a.id not in full_ids
        ]
    return result
