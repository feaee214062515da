"""`godwit worker` as a real process: it runs jobs and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import pytest

from godwit.app import Components
from godwit.config import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(run_jobs_in_process=False)


async def test_worker_process_runs_jobs_until_sigterm(
    components: Components, settings: Settings
) -> None:
    async with components.store.write() as tx:
        # A fan-out for a status that does not exist: the handler finishes it at once.
        job_id = await tx.jobs.enqueue("status.fanout", {"status_id": 4242})
    env = {
        **os.environ,
        "GODWIT_DATABASE_URL": settings.database_url,
        "GODWIT_MEDIA_DIR": settings.media_dir,
        "GODWIT_SECRET_KEY": settings.secret_key,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "godwit", "worker", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        async with asyncio.timeout(60):
            while True:  # waiting on another process: poll its visible effect
                async with components.store.read() as tx:
                    if await tx.jobs.get(job_id) is None:
                        break
                await asyncio.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            output, _ = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, output.decode()
    assert b"job runner" in output
    assert b"stopped" in output
