"""Polls: attached when posting, read, voted on, and closed by a job at their end.

When a poll ends, its author and every local voter get a "poll" notification, as in
Mastodon. The author's own notification is from themself, which ``notify`` (made for
actions of others) skips, so it is added through the repository directly.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from godwit.domain.errors import NotFound
from godwit.domain.ids import new_id, parse_id
from godwit.domain.polls import Poll, PollRequest, PollView, check_vote
from godwit.ports.store import Store, Transaction
from godwit.services.notifying import notify
from godwit.services.presenting import present_status

log = logging.getLogger("godwit.polls")

POLL_EXPIRY_JOB = "poll.expire"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def attach_poll(
    tx: Transaction, *, status_id: int, account_id: int, request: PollRequest, now: dt.datetime
) -> None:
    """Store a (validated) poll with its new status and schedule its end, in the same
    transaction as the status."""
    poll = Poll(
        id=new_id(),
        status_id=status_id,
        account_id=account_id,
        options=request.options,
        tallies=tuple(0 for _ in request.options),
        multiple=request.multiple,
        hide_totals=request.hide_totals,
        expires_at=now + dt.timedelta(seconds=request.expires_in),
        votes_count=0,
        voters_count=0,
    )
    await tx.polls.create(poll, now)
    await schedule_expiry(tx, poll, now)


def _end_mark(expires_at: dt.datetime) -> int:
    """The end a poll.expire job was queued for, in milliseconds (it fits JSON exactly)."""
    return round(expires_at.timestamp() * 1000)


async def schedule_expiry(tx: Transaction, poll: Poll, now: dt.datetime) -> None:
    """Queue the job that closes ``poll`` at its end. The job names that end: when an edit
    moves the end later and queues another, the first finds itself stale and does nothing;
    when it moves the end earlier, the first runs after the new job and adds nothing (the
    notifications exist already)."""
    delay = max(0.0, (poll.expires_at - now).total_seconds())
    await tx.jobs.enqueue(
        POLL_EXPIRY_JOB,
        {"poll_id": poll.id, "expires_at_ms": _end_mark(poll.expires_at)},
        delay_seconds=delay,
    )


class PollService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def _visible(self, tx: Transaction, poll_id: int, viewer_id: int | None) -> Poll:
        """The poll if the viewer may see its status; hidden and missing look the same."""
        poll = await tx.polls.get(poll_id)
        if poll is None:
            raise NotFound()
        await present_status(tx, poll.status_id, viewer_id)
        return poll

    async def get(self, poll_id: int, viewer_id: int | None) -> PollView:
        async with self.store.read() as tx:
            poll = await self._visible(tx, poll_id, viewer_id)
            own = await tx.polls.own_choices(poll_id, viewer_id) if viewer_id else None
            return PollView(poll=poll, own_votes=own)

    async def vote(self, poll_id: int, voter_id: int, choices: Sequence[int]) -> PollView:
        async with self.store.write() as tx:
            await self._visible(tx, poll_id, voter_id)
            poll = await tx.polls.lock(poll_id)  # votes on one poll are serialised
            if poll is None:
                raise NotFound()
            now = _now()
            already = bool(await tx.polls.own_choices(poll_id, voter_id))
            wanted = check_vote(poll, voter_id, choices, already, now)
            updated = await tx.polls.record_votes(poll, voter_id, wanted, now)
            return PollView(poll=updated, own_votes=wanted)

    async def handle_expiry(self, payload: dict[str, Any]) -> None:
        """The "poll.expire" job: notify the author and the voters once the poll is over.
        Idempotent: notifications are never duplicated."""
        poll_id = parse_id(payload.get("poll_id"))
        if poll_id is None:
            return
        async with self.store.write() as tx:
            # Locked: an edit that moved the end may leave two jobs for one poll, and two
            # runs at once would both find no notification yet and both add one.
            poll = await tx.polls.lock(poll_id)
            if poll is None:
                return  # deleted with its status, or removed by an edit
            if not poll.expired(_now()):
                queued_for = payload.get("expires_at_ms")
                if isinstance(queued_for, int) and queued_for != _end_mark(poll.expires_at):
                    return  # an edit moved the end later: the job that edit queued closes it
                log.warning("poll %s expiry job ran early; it will be retried", poll_id)
                raise RuntimeError("poll not expired yet")
            await tx.notifications.add(
                recipient_id=poll.account_id,
                from_account_id=poll.account_id,
                type="poll",
                status_id=poll.status_id,
            )
            for voter_id in await tx.polls.voter_ids(poll_id):
                await notify(
                    tx,
                    recipient_id=voter_id,
                    from_account_id=poll.account_id,
                    type="poll",
                    status_id=poll.status_id,
                )
