"""Lists: a member's named sets of followed accounts, each with its own timeline.

A list timeline is read at request time from the members' posts, filtered as Mastodon's
FeedManager filters list feeds: direct posts never, reblogs as the owner's follow allows,
replies according to the list's ``replies_policy``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from godwit.domain.errors import Invalid
from godwit.domain.posts import Visibility
from godwit.domain.timelines import FeedPost

MAX_TITLE_LENGTH = 255
# As Mastodon's List::LIMIT: a member may own at most this many lists.
MAX_LISTS_PER_ACCOUNT = 50


class RepliesPolicy(StrEnum):
    """Which replies to someone else a list timeline shows."""

    FOLLOWED = "followed"  # replies to anyone the owner follows
    LIST = "list"  # replies to members of the list
    NONE = "none"  # no replies to others


@dataclass(frozen=True, slots=True)
class AccountList:
    id: int
    account_id: int  # the owner
    title: str
    replies_policy: RepliesPolicy
    exclusive: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ListPost:
    """A candidate for a list timeline: the post, and whether the owner's follow of its
    author shows that author's reblogs."""

    post: FeedPost
    show_reblogs: bool = True


@dataclass(frozen=True, slots=True)
class ListReader:
    """What the owner has to do with the accounts of one page of posts, loaded in bulk."""

    owner_id: int
    policy: RepliesPolicy
    shuns: frozenset[int] = frozenset()  # blocked either way or muted by the owner
    follows: frozenset[int] = frozenset()  # reply targets the owner follows
    members: frozenset[int] = frozenset()  # reply targets that are members of the list


def reply_accepted(post: FeedPost, reader: ListReader) -> bool:
    """Whether the reply rule of the list lets ``post`` through (non-replies always pass;
    a self-reply continues a thread and is not a reply to someone else)."""
    if not post.replies_to_other:
        return True
    target = post.in_reply_to_account_id
    if reader.policy is RepliesPolicy.NONE:
        return False
    if target == reader.owner_id:
        return True  # as Mastodon: replies to the owner show under followed and list
    if reader.policy is RepliesPolicy.FOLLOWED:
        return target in reader.follows
    return target in reader.members


def list_accepts(item: ListPost, reader: ListReader) -> bool:
    """Whether a list timeline shows the post (the owner's visibility is checked later)."""
    post = item.post
    if post.visibility is Visibility.DIRECT:
        return False
    if any(party in reader.shuns for party in (post.author_id, *post.other_party_ids)):
        return False
    if post.is_reblog and (not item.show_reblogs or post.original_author_id == reader.owner_id):
        return False
    return reply_accepted(post, reader)


def clean_title(title: str | None) -> str:
    """A list title as stored: trimmed, not blank, at most MAX_TITLE_LENGTH characters."""
    cleaned = (title or "").strip()
    if not cleaned:
        raise Invalid(
            "Validation failed: Title can't be blank", {"title": [("ERR_BLANK", "can't be blank")]}
        )
    if len(cleaned) > MAX_TITLE_LENGTH:
        description = f"is too long (maximum is {MAX_TITLE_LENGTH} characters)"
        raise Invalid(
            f"Validation failed: Title {description}", {"title": [("ERR_TOO_LONG", description)]}
        )
    return cleaned


def parse_replies_policy(value: str | None, default: RepliesPolicy) -> RepliesPolicy:
    if value is None:
        return default
    try:
        return RepliesPolicy(value)
    except ValueError:
        description = "must be one of followed, list or none"
        raise Invalid(
            f"Validation failed: Replies policy {description}",
            {"replies_policy": [("ERR_INCLUSION", description)]},
        ) from None
