"""Statuses written by `godwit demo`'s bulk path are in the full-text index too."""

from __future__ import annotations

import datetime as dt

from godwit.app import Components
from godwit.demo.generator import generate
from godwit.demo.writer import write_community

NOW = dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)


async def test_seeded_posts_are_indexed_and_reblogs_are_not(components: Components) -> None:
    community = generate(seed=4, members=10, posts=60, now=NOW)
    result = await write_community(components.services, community, "demo-password-for-tests")
    async with components.store.read() as tx:
        seeded = await tx.statuses.get_many(result.status_ids)
        originals = [status for status in seeded.values() if status.reblog_of_id is None]
        reblogs = [status for status in seeded.values() if status.reblog_of_id is not None]
        assert originals
        for status in originals:
            assert await tx.search.is_indexed(status.id)
        for status in reblogs:
            assert not await tx.search.is_indexed(status.id)
