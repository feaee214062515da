"""The polls of a batch of statuses, with the viewer's own votes, in one query."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, false, select
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.polls import Poll, PollView
from godwit.storage.polls import POLL_COLUMNS, poll_from_row
from godwit.storage.schema import poll_votes, polls


async def load_polls(
    conn: AsyncConnection, status_ids: Sequence[int], viewer_id: int | None
) -> dict[int, PollView]:
    """Keyed by status id. The viewer's votes come by an outer join: one row per poll and
    own choice (a single row with no choice when the viewer did not vote)."""
    if not status_ids:
        return {}
    own = and_(
        poll_votes.c.poll_id == polls.c.id,
        poll_votes.c.account_id == viewer_id if viewer_id is not None else false(),
    )
    rows = await conn.execute(
        select(*POLL_COLUMNS, poll_votes.c.choice)
        .select_from(polls.outerjoin(poll_votes, own))
        .where(polls.c.status_id.in_(list(status_ids)))
        .order_by(polls.c.id, poll_votes.c.choice)
    )
    found: dict[int, Poll] = {}
    choices: dict[int, list[int]] = {}
    for row in rows:
        found.setdefault(row.status_id, poll_from_row(row))
        own_choices = choices.setdefault(row.status_id, [])
        if row.choice is not None:
            own_choices.append(row.choice)
    return {
        status_id: PollView(
            poll=poll, own_votes=tuple(choices[status_id]) if viewer_id is not None else None
        )
        for status_id, poll in found.items()
    }
