"""Grouped notifications (API v2): GroupedNotificationsResults, NotificationGroup and
PartialAccountWithAvatar."""

from __future__ import annotations

from typing import Any

from godwit.config import Settings
from godwit.entities.common import iso
from godwit.entities.notifications import Renderer, render_account_warning
from godwit.services.notification_groups import GroupedPage, NotificationGroup

# The account fields a PartialAccountWithAvatar keeps (expand_accounts=partial_avatars).
_PARTIAL_ACCOUNT_FIELDS = ("id", "acct", "url", "avatar", "avatar_static", "locked", "bot")


def render_group(group: NotificationGroup, renderer: Renderer | None = None) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "group_key": group.group_key,
        "notifications_count": group.notifications_count,
        "type": group.type,
        "most_recent_notification_id": group.most_recent_id,
        "sample_account_ids": [str(account_id) for account_id in group.sample_account_ids],
    }
    if group.page_min_id is not None and group.page_max_id is not None:
        rendered["page_min_id"] = str(group.page_min_id)
        rendered["page_max_id"] = str(group.page_max_id)
        rendered["latest_page_notification_at"] = iso(group.latest_at)
    if group.status_id is not None:
        rendered["status_id"] = str(group.status_id)
    if group.warning is not None and renderer is not None and group.sample_account_ids:
        target = renderer.accounts.get(group.sample_account_ids[0])
        if target is not None:
            rendered["moderation_warning"] = render_account_warning(group.warning, target)
    return rendered


def render_grouped(
    page: GroupedPage, settings: Settings, *, partial_avatars: bool = False
) -> dict[str, Any]:
    """Each account and status once. With ``partial_avatars`` (as Mastodon) only each
    group's newest sender is a full account; the other senders come as partial accounts,
    enough to draw a pile of avatars."""
    renderer = Renderer(settings)
    by_id = {account.id: account for account in page.accounts}
    full_ids = (
        dict.fromkeys(g.sample_account_ids[0] for g in page.groups if g.sample_account_ids)
        if partial_avatars
        else dict.fromkeys(by_id)
    )
    result: dict[str, Any] = {
        "accounts": [renderer.account(by_id[account_id]) for account_id in full_ids],
        "statuses": [renderer.status(view) for view in page.statuses],
        "notification_groups": [render_group(group, renderer) for group in page.groups],
    }
    if partial_avatars:
        result["partial_accounts"] = [
            {name: renderer.account(account)[name] for name in _PARTIAL_ACCOUNT_FIELDS}
            for account in page.accounts
            if account.id not in full_ids
        ]
    return result
