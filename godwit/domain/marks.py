"""Rules for what a member may pin, and the limits of private marks."""

from __future__ import annotations

from godwit.domain.posts import Status, Visibility

MAX_PINS = 5  # Mastodon's limit of pinned statuses per account
MAX_NOTE_CHARS = 2_000  # Mastodon's limit of a private note about an account
MAX_STATUSES_BY_ID = 20  # GET /api/v1/statuses?id[]= answers at most this many


def pin_refusal(status: Status, account_id: int, pinned_count: int) -> str | None:
    """Why ``account_id`` may not pin ``status`` (None when it may), as Mastodon words it:
    only one's own public or unlisted posts, never reblogs, at most ``MAX_PINS``."""
    if status.reblog_of_id is not None:
        return "Reblogs cannot be pinned"
    if status.account_id != account_id:
        return "Post that is not yours cannot be pinned"
    if status.visibility in (Visibility.PRIVATE, Visibility.DIRECT):
        return "Non-public toot cannot be pinned"
    if pinned_count >= MAX_PINS:
        return "You have already pinned the maximum number of toots"
    return None
