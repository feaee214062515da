"""What editing a status does to its poll, following Mastodon's UpdateStatusService.

An edit states the whole poll the status should have afterwards: none (a poll it had is
removed, with its votes), or one (added, or the current one changed). Changing the options
or ``multiple`` invalidates every vote cast, so the votes and voters are reset; the end is
always recomputed from ``expires_in`` as of the edit. Voters whose votes were reset are
not notified, as in Mastodon.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from godwit.domain.polls import Poll, PollRequest


@dataclass(frozen=True, slots=True)
class PollEdit:
    """The change to apply: ``wanted`` is the validated poll after the edit (None: no poll)."""

    current: Poll | None
    wanted: PollRequest | None
    expires_at: dt.datetime | None  # the end of the poll after the edit
    reset_votes: bool = False

    @property
    def adds(self) -> bool:
        return self.current is None and self.wanted is not None

    @property
    def removes(self) -> bool:
        return self.current is not None and self.wanted is None

    @property
    def changed(self) -> bool:
        """Whether the edit changes the poll at all (so makes a revision on its own)."""
        if self.current is None or self.wanted is None:
            return (self.current is None) != (self.wanted is None)
        return (
            self.reset_votes
            or self.wanted.hide_totals != self.current.hide_totals
            or self.expires_at != self.current.expires_at
        )

    @property
    def options_after(self) -> tuple[str, ...] | None:
        """The options the new revision records (None: the status has no poll)."""
        return self.wanted.options if self.wanted is not None else None


def plan_poll_edit(current: Poll | None, wanted: PollRequest | None, now: dt.datetime) -> PollEdit:
    """The poll change of an edit; ``wanted`` must already be validated."""
    if wanted is None:
        return PollEdit(current=current, wanted=None, expires_at=None)
    expires_at = now + dt.timedelta(seconds=wanted.expires_in)
    reset = current is not None and (
        wanted.options != current.options or wanted.multiple != current.multiple
    )
    return PollEdit(current=current, wanted=wanted, expires_at=expires_at, reset_votes=reset)
