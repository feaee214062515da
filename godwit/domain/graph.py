"""The social graph: follows, follow requests, blocks and mutes, and the rules between them.

Pure data and rules. The repository reports raw edges between one viewer and some targets
(``GraphFacts``); ``relationship`` turns them into the Mastodon Relationship the API shows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from godwit.domain.errors import Invalid

# Mastodon sets no upper limit on a mute; about 100 years keeps the timestamp representable.
MAX_MUTE_SECONDS = 100 * 365 * 24 * 3600
MAX_FOLLOW_LANGUAGES = 100
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True)
class FollowerRef:
    """One local follower of an author, as fan-out and status notifications need it."""

    follow_id: int
    account_id: int
    show_reblogs: bool
    notify: bool


@dataclass(frozen=True, slots=True)
class FollowOptions:
    """What a follower chose when following: boosts shown, new-post bells, languages."""

    show_reblogs: bool = True
    notify: bool = False
    languages: tuple[str, ...] | None = None  # None = every language


@dataclass(frozen=True, slots=True)
class MuteState:
    hide_notifications: bool
    expires_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ViewerRelations:
    """What the read path needs of one viewer's graph for the authors on a page."""

    following: frozenset[int] = frozenset()
    blocked: frozenset[int] = frozenset()  # either way, or on a domain the viewer blocks
    muted: frozenset[int] = frozenset()  # unexpired mutes


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """A row of a graph list (followers, following, blocks, mutes, follow requests).

    ``cursor`` is the row's own id: Mastodon paginates these lists by the internal row id,
    reachable only through the Link header, not by the account id.
    """

    cursor: int
    account_id: int


@dataclass(slots=True)
class GraphFacts:
    """Every edge between one viewer and a set of targets, in both directions."""

    following: dict[int, FollowOptions] = field(default_factory=dict)  # viewer → target
    followed_by: set[int] = field(default_factory=set)  # target → viewer
    requested: dict[int, FollowOptions] = field(default_factory=dict)  # viewer → target
    requested_by: set[int] = field(default_factory=set)  # target → viewer
    blocking: set[int] = field(default_factory=set)
    blocked_by: set[int] = field(default_factory=set)
    muting: dict[int, MuteState] = field(default_factory=dict)  # active mutes only
    notes: dict[int, str] = field(default_factory=dict)  # the viewer's private notes
    endorsed: set[int] = field(default_factory=set)  # featured on the viewer's profile
    domain_blocking: set[int] = field(default_factory=set)  # on a domain the viewer blocks


@dataclass(frozen=True, slots=True)
class Relationship:
    """The viewer's relationship to one account (Mastodon's Relationship entity)."""

    id: int
    following: bool = False
    showing_reblogs: bool = False
    notifying: bool = False
    languages: tuple[str, ...] | None = None
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False
    muting_notifications: bool = False
    muting_expires_at: dt.datetime | None = None
    requested: bool = False
    requested_by: bool = False
    domain_blocking: bool = False
    endorsed: bool = False
    note: str = ""


def relationship(target_id: int, facts: GraphFacts) -> Relationship:
    """As Mastodon: a pending request's options show through until it is accepted."""
    options = facts.following.get(target_id) or facts.requested.get(target_id)
    mute = facts.muting.get(target_id)
    return Relationship(
        id=target_id,
        following=target_id in facts.following,
        showing_reblogs=options.show_reblogs if options else False,
        notifying=options.notify if options else False,
        languages=options.languages if options else None,
        followed_by=target_id in facts.followed_by,
        blocking=target_id in facts.blocking,
        blocked_by=target_id in facts.blocked_by,
        muting=mute is not None,
        muting_notifications=mute.hide_notifications if mute else False,
        muting_expires_at=mute.expires_at if mute else None,
        requested=target_id in facts.requested,
        requested_by=target_id in facts.requested_by,
        note=facts.notes.get(target_id, ""),
        endorsed=target_id in facts.endorsed,
        domain_blocking=target_id in facts.domain_blocking,
    )


def mute_expiry(now: dt.datetime, duration_seconds: int | None) -> dt.datetime | None:
    """When a mute ends: ``None`` (or 0) means never, as in Mastodon."""
    if duration_seconds is None or duration_seconds == 0:
        return None
    if duration_seconds < 0:
        raise Invalid(
            "Validation failed: duration must not be negative",
            {"duration": [("ERR_INVALID", "must not be negative")]},
        )
    return now + dt.timedelta(seconds=min(duration_seconds, MAX_MUTE_SECONDS))


def mute_active(expires_at: dt.datetime | None, now: dt.datetime) -> bool:
    """An expired mute counts as absent everywhere, even before a sweep deletes its row."""
    return expires_at is None or expires_at > now


def normalise_languages(languages: Sequence[str] | None) -> tuple[str, ...] | None:
    """ISO 639 codes, lower-cased and de-duplicated; none (or an empty list) means all."""
    if not languages:
        return None
    if len(languages) > MAX_FOLLOW_LANGUAGES:
        raise Invalid(
            "Validation failed: languages has too many items",
            {"languages": [("ERR_TOO_LONG", "has too many items")]},
        )
    seen: dict[str, None] = {}
    for language in languages:
        code = language.strip().lower()
        if not _LANGUAGE_RE.fullmatch(code):
            raise Invalid(
                f"Validation failed: languages contains an invalid code {language[:20]!r}",
                {"languages": [("ERR_INVALID", "must be ISO 639 language codes")]},
            )
        seen[code] = None
    return tuple(seen)


def follow_options(
    current: FollowOptions | None,
    *,
    reblogs: bool | None,
    notify: bool | None,
    languages: tuple[str, ...] | None,
    languages_given: bool,
) -> FollowOptions:
    """The options after a (re-)follow: an omitted parameter keeps the current value, or the
    default for a new follow (boosts shown, no bell, every language)."""
    base = current or FollowOptions()
    return FollowOptions(
        show_reblogs=base.show_reblogs if reblogs is None else reblogs,
        notify=base.notify if notify is None else notify,
        languages=languages if languages_given else base.languages,
    )


def severed_by_block(blocker_id: int, blocked_id: int) -> tuple[tuple[int, int], ...]:
    """The (follower, followed) pairs a block removes: following goes in both directions,
    as do pending follow requests."""
    return ((blocker_id, blocked_id), (blocked_id, blocker_id))


def unique_ids(ids: Iterable[int]) -> list[int]:
    """IDs in first-seen order without repeats (relationships answer once per account)."""
    return list(dict.fromkeys(ids))
