"""Crash test: SIGKILL the process running fan-out; after a restart nothing committed is lost.

An author with many followers posts several statuses through the API with a tiny fan-out
batch size, so each post becomes a long chain of batch jobs. The process running them is
killed (SIGKILL: no shutdown hooks) while jobs are still pending, restarted on the same
database, and every committed post must reach every follower's home timeline.

A job that was running at the moment of the kill comes back when its lease expires; the
server runs with a short lease (GODWIT_JOB_LEASE_SECONDS) so that wait stays brief.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import and_, func, insert, select, update

from godwit.app import Components
from godwit.config import Settings
from godwit.domain.ids import new_id
from godwit.storage.schema import accounts, follows, home_feed, jobs
from tests.databases import DatabaseFactory
from tests.factories import TEST_PUBLIC_KEY, Member, make_member
from tests.support.live_server import LiveServer
from tests.support.rows import sync_engine

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]

FOLLOWERS = 150
WITNESSES = 5
BATCH_SIZE = 2
POSTS = 6
LEASE_SECONDS = 3
DELIVERY_DEADLINE_SECONDS = 150.0


async def _populate(database_url: str, media_dir: Path) -> tuple[Member, list[int], list[Member]]:
    """An author and FOLLOWERS local members following it, written as D's storage does.

    A few followers are full members with tokens (witnesses whose home timelines are read
    through the API); the rest are bare local accounts, inserted in one transaction.
    """
    components = Components(
        Settings(database_url=database_url, media_dir=str(media_dir), secret_key="crash-test")
    )
    suffix = new_id() % 100_000
    try:
        author = await make_member(components, f"author_{suffix}")
        witnesses = [await make_member(components, f"wit_{n}_{suffix}") for n in range(WITNESSES)]
        now = dt.datetime.now(dt.UTC)
        base = components.settings.base_url
        bare = [(new_id(), f"fol_{n}_{suffix}") for n in range(FOLLOWERS - WITNESSES)]
        follower_ids = [w.account_id for w in witnesses] + [account_id for account_id, _ in bare]
        async with components.database.write() as conn:
            await conn.execute(
                insert(accounts),
                [
                    {
                        "id": account_id,
                        "username": username,
                        "username_key": username,
                        "domain": "",
                        "display_name": username,
                        "note": "",
                        "note_source": "",
                        "fields": [],
                        "uri": f"{base}/users/{username}",
                        "url": f"{base}/@{username}",
                        "inbox_url": f"{base}/users/{username}/inbox",
                        "outbox_url": f"{base}/users/{username}/outbox",
                        "followers_url": f"{base}/users/{username}/followers",
                        "shared_inbox_url": f"{base}/inbox",
                        "public_key_pem": TEST_PUBLIC_KEY,
                        "private_key_pem": None,
                        "locked": False,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for account_id, username in bare
                ],
            )
            await conn.execute(
                insert(follows),
                [
                    {
                        "id": new_id(),
                        "account_id": follower_id,
                        "target_account_id": author.account_id,
                        "show_reblogs": True,
                        "notify": False,
                        "created_at": now,
                    }
                    for follower_id in follower_ids
                ],
            )
            await conn.execute(
                update(accounts)
                .where(accounts.c.id == author.account_id)
                .values(followers_count=accounts.c.followers_count + FOLLOWERS)
            )
            await conn.execute(
                update(accounts)
                .where(accounts.c.id.in_(follower_ids))
                .values(following_count=accounts.c.following_count + 1)
            )
    finally:
        await components.stop()
    return author, follower_ids, witnesses


@pytest.fixture
def crash_server(
    database_factory: DatabaseFactory, tmp_path: Path
) -> Iterator[tuple[LiveServer, Member, list[int], list[Member]]]:
    database_url = database_factory.new_url()
    author, readers, witnesses = asyncio.run(_populate(database_url, tmp_path / "media"))
    server = LiveServer(
        tmp_path,
        database_url,
        extra_env={
            "GODWIT_FANOUT_BATCH_SIZE": str(BATCH_SIZE),
            "GODWIT_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        },
    )
    try:
        yield server, author, readers, witnesses
    finally:
        server.stop()
        database_factory.drop(database_url)


def post_statuses(server: LiveServer, author: Member) -> list[int]:
    ids = []
    with httpx.Client(base_url=server.base_url, headers=author.headers, timeout=30) as http:
        for n in range(POSTS):
            response = http.post("/api/v1/statuses", data={"status": f"crash test post {n}"})
            assert response.status_code == 200, response.text
            ids.append(int(response.json()["id"]))
    return ids


def unfinished_fanout_jobs(database_url: str) -> int:
    engine = sync_engine(database_url)
    try:
        with engine.connect() as conn:
            query = select(func.count()).where(
                jobs.c.kind == "status.fanout", jobs.c.state.in_(["queued", "running"])
            )
            return int(conn.execute(query.select_from(jobs)).scalar_one())
    finally:
        engine.dispose()


def missing_deliveries(database_url: str, status_ids: list[int], readers: list[int]) -> int:
    engine = sync_engine(database_url)
    try:
        with engine.connect() as conn:
            delivered = conn.execute(
                select(func.count())
                .select_from(home_feed)
                .where(
                    and_(home_feed.c.status_id.in_(status_ids), home_feed.c.account_id.in_(readers))
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return len(status_ids) * len(readers) - int(delivered)


def wait_for_delivery(server: LiveServer, status_ids: list[int], readers: list[int]) -> None:
    deadline = time.monotonic() + DELIVERY_DEADLINE_SECONDS
    missing = missing_deliveries(server.database_url, status_ids, readers)
    while missing and time.monotonic() < deadline:
        processes = [p for p in (server.process, *server.workers) if p is not None]
        assert all(p.poll() is None for p in processes), "a process died:\n" + server.log_tail()
        time.sleep(0.5)
        missing = missing_deliveries(server.database_url, status_ids, readers)
    assert missing == 0, f"{missing} (post, follower) deliveries never happened"


def assert_home_timelines(server: LiveServer, followers: list[Member], ids: list[int]) -> None:
    """The API view, not only the table: every follower's home shows every post."""
    expected = [str(i) for i in sorted(ids, reverse=True)]
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        for follower in followers:
            response = http.get(
                "/api/v1/timelines/home", params={"limit": 40}, headers=follower.headers
            )
            assert response.status_code == 200, response.text
            assert [s["id"] for s in response.json()] == expected, follower.username


def test_killing_the_server_mid_fanout_loses_no_post(
    crash_server: tuple[LiveServer, Member, list[int], list[Member]],
) -> None:
    server, author, readers, witnesses = crash_server
    server.start()
    status_ids = post_statuses(server, author)
    server.kill()
    pending = unfinished_fanout_jobs(server.database_url)
    assert pending > 0, "fan-out finished before the kill: the test proved nothing"
    assert missing_deliveries(server.database_url, status_ids, readers) > 0

    server.start()
    wait_for_delivery(server, status_ids, readers)
    assert_home_timelines(server, witnesses, status_ids)


def test_killing_a_worker_mid_fanout_loses_no_post(
    crash_server: tuple[LiveServer, Member, list[int], list[Member]],
) -> None:
    server, author, readers, witnesses = crash_server
    server.start(GODWIT_RUN_JOBS_IN_PROCESS="false")
    status_ids = post_statuses(server, author)
    worker = server.start_worker()
    # Let the worker get going, then kill it while work remains.
    deadline = time.monotonic() + 30
    while missing_deliveries(server.database_url, status_ids, readers) == len(status_ids) * len(
        readers
    ):
        assert time.monotonic() < deadline, "the worker never started fanning out\n" + (
            server.log_tail()
        )
        assert worker.poll() is None, "the worker exited\n" + server.log_tail()
        time.sleep(0.05)
    worker.kill()
    worker.wait(timeout=10)
    server.workers.remove(worker)
    assert unfinished_fanout_jobs(server.database_url) > 0, "the worker finished before the kill"

    server.start_worker()
    wait_for_delivery(server, status_ids, readers)
    assert_home_timelines(server, witnesses, status_ids)
