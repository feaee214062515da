"""StatusService: the jobs a post implies commit with it, or not at all."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from godwit.app import Components
from godwit.config import Settings
from godwit.domain.errors import Invalid, NotFound
from godwit.services.statuses import PostRequest
from godwit.storage.schema import jobs, statuses
from tests.factories import make_member


@pytest.fixture
async def quiet(settings: Settings) -> AsyncIterator[Components]:
    """Components whose job runner is off, so queued jobs stay visible."""
    built = Components(settings.replace(run_jobs_in_process=False))
    await built.start()
    yield built
    await built.stop()


async def _jobs(components: Components) -> list[tuple[str, dict[str, int]]]:
    async with components.database.read() as conn:
        rows = await conn.execute(select(jobs.c.kind, jobs.c.payload).order_by(jobs.c.id))
        return [(row.kind, dict(row.payload)) for row in rows]


async def test_post_enqueues_fanout_and_notify(quiet: Components) -> None:
    alice = await make_member(quiet, "alice")
    view = await quiet.services.statuses.create(alice.account_id, PostRequest(text="hello"))
    assert sorted(await _jobs(quiet)) == [
        ("status.fanout", {"status_id": view.status.id}),
        ("status.notify", {"status_id": view.status.id}),
    ]


async def test_reblog_enqueues_fanout_only(quiet: Components) -> None:
    alice = await make_member(quiet, "alice")
    bob = await make_member(quiet, "bob")
    original = await quiet.services.statuses.create(alice.account_id, PostRequest(text="hi"))
    reblog = await quiet.services.statuses.reblog(original.status.id, bob.account_id)
    assert ("status.fanout", {"status_id": reblog.status.id}) in await _jobs(quiet)
    assert ("status.notify", {"status_id": reblog.status.id}) not in await _jobs(quiet)


async def test_failed_post_writes_nothing(quiet: Components) -> None:
    alice = await make_member(quiet, "alice")
    with pytest.raises(NotFound):
        await quiet.services.statuses.create(
            alice.account_id, PostRequest(text="reply", in_reply_to_id=12345)
        )
    with pytest.raises(Invalid):
        await quiet.services.statuses.create(
            alice.account_id, PostRequest(text="x", visibility="loud")
        )
    async with quiet.database.read() as conn:
        assert list(await conn.execute(select(statuses.c.id))) == []
    assert await _jobs(quiet) == []
