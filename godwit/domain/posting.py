"""What the statuses use cases hand to storage, and thread ordering for ``context``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from godwit.domain.posts import Status, Visibility

MAX_ANCESTORS = 40  # Mastodon's bound on ancestors returned by context
MAX_DESCENDANTS = 4096  # and on descendants
MAX_DESCENDANT_DEPTH = 64
IDEMPOTENCY_SECONDS = 3600
MAX_SPOILER_CHARS = 10_000  # hard cap before counting; the real limit is max_status_chars

# ISO 639-1 (two letters) or ISO 639-3 (three letters), optionally with a region or script
# subtag as clients send ("en", "pt-BR", "zh-Hant"); stored lower-case base plus subtags.
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$", re.IGNORECASE)


def normalise_language(value: str) -> str | None:
    """The language code to store, or None when ``value`` is not a language code."""
    if not _LANGUAGE_RE.fullmatch(value):
        return None
    base, _, subtag = value.replace("_", "-").partition("-")
    return f"{base.lower()}-{subtag}" if subtag else base.lower()


@dataclass(frozen=True, slots=True)
class NewStatus:
    """A status (or a reblog) ready to be stored; counters start at zero."""

    id: int
    account_id: int
    uri: str
    url: str
    text: str
    content: str
    spoiler_text: str
    sensitive: bool
    visibility: Visibility
    language: str | None
    created_at: dt.datetime
    in_reply_to_id: int | None = None
    in_reply_to_account_id: int | None = None
    reblog_of_id: int | None = None
    application_id: int | None = None
    mentioned_account_ids: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()  # as written; stored by tag_key, first spelling kept
    local: bool = True
    quote_of_id: int | None = None
    review_state: str | None = None  # see Status.review_state


@dataclass(frozen=True, slots=True)
class AccountStatusesQuery:
    """The filters of ``GET /api/v1/accounts/:id/statuses``."""

    account_id: int
    visibilities: tuple[Visibility, ...]  # what the viewer may see without being mentioned
    mentioned_viewer_id: int | None = None  # also statuses that mention this viewer
    pinned: bool = False
    exclude_replies: bool = False  # keeps replies to the author's own statuses, as Mastodon
    exclude_reblogs: bool = False
    tag: str | None = None  # tag_key of the tag to filter on
    only_media: bool = False  # statuses with attachments only


@dataclass(frozen=True, slots=True)
class Deleted:
    """What deleting a status removed, so the caller can adjust account counters."""

    status: Status
    reblogs: tuple[Status, ...]  # reblogs of it, gone by cascade


def counts_towards_statuses(status: Status) -> bool:
    """Mastodon counts every status but direct ones in an account's statuses_count."""
    return status.visibility is not Visibility.DIRECT


def thread_order(root_id: int, replies: Sequence[Status]) -> list[Status]:
    """Descendants in reading order: depth first, each level oldest first (as Mastodon)."""
    children: dict[int, list[Status]] = {}
    for status in replies:
        if status.in_reply_to_id is not None:
            children.setdefault(status.in_reply_to_id, []).append(status)
    for siblings in children.values():
        siblings.sort(key=lambda status: status.id)
    ordered: list[Status] = []
    stack = list(reversed(children.get(root_id, [])))
    seen: set[int] = set()
    while stack:
        status = stack.pop()
        if status.id in seen:
            continue
        seen.add(status.id)
        ordered.append(status)
        stack.extend(reversed(children.get(status.id, [])))
    return ordered
