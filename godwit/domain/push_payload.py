"""The JSON a push message carries, shaped like Mastodon's (Web::NotificationSerializer):
access_token, preferred_locale, notification_id, notification_type, icon, title, body."""

from __future__ import annotations

import html
import re
from typing import Any

from godwit.domain.accounts import Account
from godwit.domain.notifications import Notification
from godwit.domain.posts import Status

BODY_LENGTH = 140
AVATAR_MISSING = "/static/avatar-missing.png"  # served by the web adapter

# Mastodon's English notification_mailer.*.subject strings.
_TITLES = {
    "mention": "You were mentioned by {name}",
    "status": "{name} just posted",
    "reblog": "{name} boosted your post",
    "follow": "{name} is now following you",
    "follow_request": "Pending follower: {name}",
    "favourite": "{name} favorited your post",
    "poll": "A poll by {name} has ended",
    "update": "{name} edited a post",
    "admin.sign_up": "{name} signed up",
    "admin.report": "{name} submitted a report",
    "quote": "{name} quoted your post",
    "quoted_update": "{name} edited a post you quoted",
}
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def title_for(notification_type: str, sender: Account) -> str:
    name = sender.display_name.strip() or sender.username
    template = _TITLES.get(notification_type, "New notification from {name}")
    return template.format(name=name)


def strip_html(fragment: str) -> str:
    text = _BREAK.sub(" ", fragment)
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", text))).strip()


def truncate(text: str, length: int = BODY_LENGTH) -> str:
    """Rails' truncate: at most ``length`` characters, ending in "..." when cut."""
    if len(text) <= length:
        return text
    return text[: length - 3] + "..."


def body_for(status: Status | None, sender: Account) -> str:
    """The status's content warning or text (its source, else its HTML stripped), else the
    sender's bio, as plain text."""
    if status is not None:
        source = status.spoiler_text.strip() or status.text.strip() or strip_html(status.content)
    else:
        source = strip_html(sender.note)
    return truncate(_SPACE.sub(" ", source).strip())


def icon_for(sender: Account, base_url: str) -> str:
    path = sender.avatar_path
    if not path:
        return base_url + AVATAR_MISSING
    if path.startswith(("http://", "https://")):
        return path
    return f"{base_url}/{path.lstrip('/')}"


def push_payload(
    notification: Notification,
    sender: Account,
    status: Status | None,
    *,
    access_token: str,
    locale: str,
    base_url: str,
) -> dict[str, Any]:
    return {
        "access_token": access_token,
        "preferred_locale": locale,
        "notification_id": notification.id,
        "notification_type": notification.type,
        "icon": icon_for(sender, base_url),
        "title": title_for(notification.type, sender),
        "body": body_for(status, sender),
    }
