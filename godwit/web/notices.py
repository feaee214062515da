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
    "posted_pending": (
        "Your post was sent. Others see it once the automatic check passes, usually at once; "
        "if it needs a moderator's review, it shows as pending on your profile."
    ),
    "held_for_review": (
        "Your post is waiting for a moderator's review. Until then only you can see it, on "
        "your profile."
    ),
    "deleted": "The post was deleted.",
    "reported": "Thank you. Your report was sent to the moderators.",
    "saved": "Your changes were saved.",
    "followed": "You follow this account now.",
    "follow_requested": "Your follow request was sent.",
    "unfollowed": "You no longer follow this account.",
    "follow_request_withdrawn": "Your follow request was withdrawn.",
    "muted": "The account is muted.",
    "unmuted": "The account is no longer muted.",
    "blocked": "The account is blocked.",
    "unblocked": "The account is no longer blocked.",
    "revoked": "The app's access was revoked.",
    "signed_out_everywhere": "You were signed out of every browser, this one too.",
    "filter_deleted": "The filter was deleted.",
    "notifications_read": "All notifications are marked as read.",
    "follow_request_authorized": "The follow request was authorized.",
    "follow_request_rejected": "The follow request was rejected.",
    "tag_followed": "You follow this hashtag now. Its posts will appear in your home timeline.",
    "tag_unfollowed": "You no longer follow this hashtag.",
    "list_created": "The list was created. Add people you follow to it.",
    "list_deleted": "The list was deleted.",
    "list_member_added": "The account was added to the list.",
    "list_member_removed": "The account was removed from the list.",
    "action_taken": "The moderation action was recorded.",
    "report_assigned": "The item is assigned to you.",
    "report_unassigned": "The item is no longer assigned.",
    "report_resolved": "The item was resolved.",
    "report_reopened": "The item was reopened.",
    "sign_up_approved": "The sign-up was approved. The member can sign in now.",
    "sign_up_rejected": "The sign-up was rejected and deleted.",
    "role_changed": "The role was changed.",
    "rule_added": "The rule was added.",
    "rule_saved": "The rule was saved.",
    "rule_deleted": "The rule was deleted.",
    "moderation_saved": "The moderation policy was saved. It applies from the next post on.",
    "content_rule_added": "The rule was added. It applies from the next post on.",
    "content_rule_saved": "The rule was saved.",
    "content_rule_deleted": "The rule was deleted.",
    "post_approved": "The post was approved and published.",
    "post_rejected": "The post was rejected. Its author was told why.",
}


def notice_for(key: str | None) -> str | None:
    return NOTICES.get(key or "")
