"""Repository port for polls and their votes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.polls import Poll


class PollRepository(Protocol):
    async def create(self, poll: Poll, created_at: dt.datetime) -> None: ...

    async def get(self, poll_id: int) -> Poll | None: ...

    async def lock(self, poll_id: int) -> Poll | None:
        """The poll, its row locked until the transaction ends (votes are serialised)."""
        ...

    async def own_choices(self, poll_id: int, account_id: int) -> tuple[int, ...]: ...

    async def votes_of(
        self, status_ids: Sequence[int], voter_ids: Sequence[int]
    ) -> dict[int, dict[int, tuple[int, ...]]]:
        """The choices each voter made in the polls of these statuses (voter id -> status
        id -> choices), in one query; those who did not vote are absent."""
        ...

    async def record_votes(
        self, poll: Poll, account_id: int, choices: Sequence[int], now: dt.datetime
    ) -> Poll:
        """Store the votes and recount the tallies; call with the poll locked."""
        ...

    async def voter_ids(self, poll_id: int) -> list[int]: ...

    async def change(self, poll: Poll, *, reset_votes: bool) -> None:
        """Store an edited poll's options, ``multiple``, ``hide_totals`` and end; with
        ``reset_votes`` every vote goes and the counts start again from zero. Call with
        the poll locked."""
        ...

    async def delete(self, poll_id: int) -> None:
        """Remove a poll and its votes (a status edited to have none)."""
        ...
