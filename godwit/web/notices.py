"""The one-line confirmations shown after a form is handled ("Your post was published").

A redirect names a notice by key (``?notice=posted``); only messages listed here are ever
shown, so the query string cannot put text of its own on the page.
"""

from __future__ import annotations

NOTICES: dict[str, str] = {
    "signed_in": "Welcome back.",
    "signed_out": "You have signed out.",
    "signed_up": "Welcome! Your account is ready.",
    "pending_approval": "Thanks for signing up. A moderator will review your request soon.",
    "password_changed": "Your password was changed. Other sessions were signed out.",
    "posted": "Your post was published.",
    "deleted": "The post was deleted.",
    "reported": "Thank you. Your report was sent to the moderators.",
    "saved": "Your changes were saved.",
    "followed": "You follow this account now.",
    "follow_requested": "Your follow request was sent.",
    "unfollowed": "You no longer follow this account.",
    "muted": "The account is muted.",
    "unmuted": "The account is no longer muted.",
    "blocked": "The account is blocked.",
    "unblocked": "The account is no longer blocked.",
    "revoked": "The app's access was revoked.",
    "action_taken": "The moderation action was recorded.",
}


def notice_for(key: str | None) -> str | None:
    return NOTICES.get(key or "")
