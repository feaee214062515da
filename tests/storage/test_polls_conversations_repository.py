"""Poll votes and conversation records at the repository level."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.domain.polls import PollRequest
from godwit.services.polls import attach_poll
from godwit.services.statuses import PostRequest
from tests.factories import make_member


async def _status(components: Components, account_id: int) -> int:
    view = await components.services.statuses.create(account_id, PostRequest(text="Poll"))
    return view.status.id


async def test_votes_recount_tallies_and_refuse_duplicates(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status_id = await _status(components, alice.account_id)
    now = dt.datetime.now(dt.UTC)
    async with components.store.write() as tx:
        await attach_poll(
            tx,
            status_id=status_id,
            account_id=alice.account_id,
            request=PollRequest(options=("a", "b", "c"), expires_in=600, multiple=True),
            now=now,
        )
    views = await components.services.statuses.get(status_id, bob.account_id)
    assert views.poll is not None
    poll_id = views.poll.poll.id
    async with components.store.write() as tx:
        poll = await tx.polls.lock(poll_id)
        assert poll is not None
        updated = await tx.polls.record_votes(poll, bob.account_id, [0, 2], now)
    assert updated.tallies == (1, 0, 1)
    assert updated.votes_count == 2
    assert updated.voters_count == 1
    with pytest.raises(IntegrityError):
        async with components.store.write() as tx:
            await tx.polls.record_votes(updated, bob.account_id, [2], now)
    async with components.store.read() as tx:
        assert await tx.polls.own_choices(poll_id, bob.account_id) == (0, 2)
        assert await tx.polls.voter_ids(poll_id) == [bob.account_id]


async def test_conversation_record_merges_and_only_moves_forward(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    key = new_id()
    older, newer = key + 1_000, key + 2_000  # ids order by time; new_id() within one ms may not
    async with components.store.write() as tx:
        await tx.conversations.record(alice.account_id, key, [bob.account_id], newer, unread=True)
        # A late job for an older status adds its participants but keeps the last status.
        await tx.conversations.record(alice.account_id, key, [carol.account_id], older, unread=True)
    async with components.store.read() as tx:
        (found,) = await tx.conversations.page(alice.account_id, PageRequest(limit=5))
    assert found.last_status_id == newer
    assert set(found.participant_ids) == {bob.account_id, carol.account_id}
    assert found.unread is True
