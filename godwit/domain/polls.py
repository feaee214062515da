"""Polls attached to statuses: the limits Godwit advertises and the rules of voting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from godwit.domain.errors import Invalid

# The limits the instance entity advertises (configuration.polls).
MAX_OPTIONS = 4
MIN_OPTIONS = 2
MAX_OPTION_CHARS = 50
MIN_EXPIRES_IN = 300
MAX_EXPIRES_IN = 2_629_746  # about a month, as Mastodon


@dataclass(frozen=True, slots=True)
class PollRequest:
    """A poll as a client asked for it with a new status."""

    options: tuple[str, ...]
    expires_in: int
    multiple: bool = False
    hide_totals: bool = False


@dataclass(frozen=True, slots=True)
class Poll:
    id: int
    status_id: int
    account_id: int  # the author of the status
    options: tuple[str, ...]
    tallies: tuple[int, ...]  # votes per option, in the order of options
    multiple: bool
    hide_totals: bool
    expires_at: dt.datetime
    votes_count: int
    voters_count: int

    def expired(self, now: dt.datetime) -> bool:
        return self.expires_at <= now


@dataclass(frozen=True, slots=True)
class PollView:
    """A poll as one reader sees it: ``own_votes`` is None for anonymous readers."""

    poll: Poll
    own_votes: tuple[int, ...] | None = None


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(f"Validation failed: {message}", {field: [("ERR_INVALID", message)]})


def validate_poll(request: PollRequest) -> PollRequest:
    """The request with options stripped, or Invalid (422) naming what is wrong."""
    options = tuple(option.strip() for option in request.options)
    if len(options) < MIN_OPTIONS:
        raise _invalid("poll", f"Poll must have at least {MIN_OPTIONS} options")
    if len(options) > MAX_OPTIONS:
        raise _invalid("poll", f"Poll can't have more than {MAX_OPTIONS} options")
    if any(not option for option in options):
        raise _invalid("poll", "Poll options can't be blank")
    if any(len(option) > MAX_OPTION_CHARS for option in options):
        raise _invalid("poll", f"Poll options can't be longer than {MAX_OPTION_CHARS} characters")
    if len(set(options)) != len(options):
        raise _invalid("poll", "Poll options must be unique")
    if not MIN_EXPIRES_IN <= request.expires_in <= MAX_EXPIRES_IN:
        raise _invalid(
            "poll",
            f"Poll duration must be between {MIN_EXPIRES_IN} and {MAX_EXPIRES_IN} seconds",
        )
    return PollRequest(options, request.expires_in, request.multiple, request.hide_totals)


def check_vote(
    poll: Poll, voter_id: int, choices: Sequence[int], already_voted: bool, now: dt.datetime
) -> tuple[int, ...]:
    """The distinct choices to record, or Invalid with Mastodon's reasons."""
    if poll.expired(now):
        raise _invalid("base", "The poll has already ended")
    if poll.account_id == voter_id:
        raise _invalid("base", "You cannot vote in your own polls")
    if already_voted:
        raise _invalid("base", "You have already voted on this poll")
    distinct = tuple(sorted(set(choices)))
    if not distinct or any(not 0 <= choice < len(poll.options) for choice in distinct):
        raise _invalid("choices", "The chosen vote option does not exist")
    if not poll.multiple and len(distinct) != 1:
        raise _invalid("choices", "This poll allows only one choice")
    return distinct
