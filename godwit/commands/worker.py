"""``godwit worker``: run background jobs only, until SIGTERM or SIGINT.

Start as many workers as needed next to ``godwit serve`` (set
``GODWIT_RUN_JOBS_IN_PROCESS=false`` on the server then); claiming is exclusive, so no
job runs twice at once, and a stopped worker hands its unfinished jobs back.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import Any

from godwit.config import Settings

log = logging.getLogger("godwit.jobs")


async def run_worker(settings: Settings) -> None:
    from godwit.app import Components
    from godwit.heap import freeze_startup_heap

    components = Components(settings.replace(run_jobs_in_process=False))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await components.start()  # rate limiter and friends; the runner is started below
    freeze_startup_heap()
    try:
        await components.job_runner.start()
        await stop.wait()
        log.info("stopping: finishing or releasing jobs in flight")
    finally:
        await components.stop()


def worker(settings: Settings, _args: argparse.Namespace) -> int:
    # No migrations here: `godwit serve` or `godwit migrate` applies them, and several
    # workers starting together must not race to do it.
    asyncio.run(run_worker(settings))
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser("worker", help="run background jobs (fan-out, notifications) only")
    parser.set_defaults(handler=worker)
