"""SQL repository for polls and votes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, distinct, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.ids import new_id
from godwit.domain.polls import Poll
from godwit.storage.schema import poll_votes, polls

POLL_COLUMNS = [
    polls.c.id,
    polls.c.status_id,
    polls.c.account_id,
    polls.c.options,
    polls.c.tallies,
    polls.c.multiple,
    polls.c.hide_totals,
    polls.c.expires_at,
    polls.c.votes_count,
    polls.c.voters_count,
]


def poll_from_row(row: Row[Any] | Any) -> Poll:
    return Poll(
        id=row.id,
        status_id=row.status_id,
        account_id=row.account_id,
        options=tuple(option["title"] for option in row.options),
        tallies=tuple(int(count) for count in row.tallies),
        multiple=bool(row.multiple),
        hide_totals=bool(row.hide_totals),
        expires_at=row.expires_at,
        votes_count=row.votes_count,
        voters_count=row.voters_count,
    )


class SqlPolls:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def create(self, poll: Poll, created_at: dt.datetime) -> None:
        await self.conn.execute(
            insert(polls).values(
                id=poll.id,
                status_id=poll.status_id,
                account_id=poll.account_id,
                options=[{"title": title} for title in poll.options],
                tallies=list(poll.tallies),
                multiple=poll.multiple,
                hide_totals=poll.hide_totals,
                expires_at=poll.expires_at,
                votes_count=poll.votes_count,
                voters_count=poll.voters_count,
                created_at=created_at,
            )
        )

    async def get(self, poll_id: int) -> Poll | None:
        row = (await self.conn.execute(select(*POLL_COLUMNS).where(polls.c.id == poll_id))).first()
        return poll_from_row(row) if row is not None else None

    async def lock(self, poll_id: int) -> Poll | None:
        query = select(*POLL_COLUMNS).where(polls.c.id == poll_id).with_for_update()
        row = (await self.conn.execute(query)).first()
        return poll_from_row(row) if row is not None else None

    async def own_choices(self, poll_id: int, account_id: int) -> tuple[int, ...]:
        rows = await self.conn.execute(
            select(poll_votes.c.choice)
            .where(poll_votes.c.poll_id == poll_id, poll_votes.c.account_id == account_id)
            .order_by(poll_votes.c.choice)
        )
        return tuple(row.choice for row in rows)

    async def votes_of(
        self, status_ids: Sequence[int], voter_ids: Sequence[int]
    ) -> dict[int, dict[int, tuple[int, ...]]]:
        if not status_ids or not voter_ids:
            return {}
        rows = await self.conn.execute(
            select(poll_votes.c.account_id, polls.c.status_id, poll_votes.c.choice)
            .join(polls, polls.c.id == poll_votes.c.poll_id)
            .where(
                polls.c.status_id.in_(sorted(set(status_ids))),
                poll_votes.c.account_id.in_(sorted(set(voter_ids))),
            )
            .order_by(poll_votes.c.account_id, polls.c.status_id, poll_votes.c.choice)
        )
        found: dict[int, dict[int, list[int]]] = {}
        for voter, status_id, choice in rows:
            found.setdefault(voter, {}).setdefault(status_id, []).append(choice)
        return {
            voter: {status_id: tuple(choices) for status_id, choices in by_status.items()}
            for voter, by_status in found.items()
        }

    async def record_votes(
        self, poll: Poll, account_id: int, choices: Sequence[int], now: dt.datetime
    ) -> Poll:
        await self.conn.execute(
            insert(poll_votes),
            [
                {
                    "id": new_id(),
                    "poll_id": poll.id,
                    "account_id": account_id,
                    "choice": choice,
                    "created_at": now,
                }
                for choice in choices
            ],
        )
        # Recounted rather than incremented: exact whatever happened before.
        counted = await self.conn.execute(
            select(poll_votes.c.choice, func.count().label("votes"))
            .where(poll_votes.c.poll_id == poll.id)
            .group_by(poll_votes.c.choice)
        )
        per_choice = {int(row.choice): int(row.votes) for row in counted}
        voters = (
            await self.conn.execute(
                select(func.count(distinct(poll_votes.c.account_id))).where(
                    poll_votes.c.poll_id == poll.id
                )
            )
        ).scalar_one()
        tallies = [int(per_choice.get(index, 0)) for index in range(len(poll.options))]
        await self.conn.execute(
            update(polls)
            .where(polls.c.id == poll.id)
            .values(tallies=tallies, votes_count=sum(tallies), voters_count=voters)
        )
        updated = await self.get(poll.id)
        assert updated is not None
        return updated

    async def voter_ids(self, poll_id: int) -> list[int]:
        rows = await self.conn.execute(
            select(poll_votes.c.account_id).where(poll_votes.c.poll_id == poll_id).distinct()
        )
        return sorted(row[0] for row in rows)

    async def change(self, poll: Poll, *, reset_votes: bool) -> None:
        values: dict[str, Any] = {
            "options": [{"title": title} for title in poll.options],
            "multiple": poll.multiple,
            "hide_totals": poll.hide_totals,
            "expires_at": poll.expires_at,
        }
        if reset_votes:
            await self.conn.execute(delete(poll_votes).where(poll_votes.c.poll_id == poll.id))
            values.update(tallies=[0 for _ in poll.options], votes_count=0, voters_count=0)
        await self.conn.execute(update(polls).where(polls.c.id == poll.id).values(**values))

    async def delete(self, poll_id: int) -> None:
        await self.conn.execute(delete(poll_votes).where(poll_votes.c.poll_id == poll_id))
        await self.conn.execute(delete(polls).where(polls.c.id == poll_id))
