"""The job runner: polls for due jobs and runs up to ``concurrency`` of them at once.

It runs inside ``godwit serve`` (``run_jobs_in_process``) or alone in ``godwit worker``
processes; any number of runners may share one database, because claiming is exclusive.
Claimed jobs are held under a lease that a background task renews while they run, so a
long job is not taken over, while a crashed runner's jobs come back once its lease expires.
The lease is short (15 s, renewed every 5 s) because it bounds how long a crash delays them.

An idle runner sleeps until its next poll or until it is woken: with ``wakeups`` it listens
for commits that queued jobs (``JobWakeups``, through the pub/sub port) and claims at once,
so a new job starts within milliseconds of its commit (streaming's delivery bar is a second).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import secrets
import socket
from collections.abc import Mapping

from godwit.ports.pubsub import Subscription
from godwit.services.jobs import JobHandler, JobService, JobWakeups

log = logging.getLogger("godwit.jobs")

ERROR_PAUSE_SECONDS = 2.0


def make_worker_id() -> str:
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(4)}"


class JobRunner:
    def __init__(
        self,
        service: JobService,
        handlers: Mapping[str, JobHandler],
        *,
        concurrency: int = 4,
        worker_id: str | None = None,
        lease_seconds: float = 15.0,
        idle_seconds: float = 0.2,
        stop_grace_seconds: float = 10.0,
        wakeups: JobWakeups | None = None,
    ) -> None:
        self.service = service
        self.handlers = dict(handlers)
        self.concurrency = max(1, concurrency)
        self.worker_id = worker_id or make_worker_id()
        self.lease_seconds = lease_seconds
        self.idle_seconds = idle_seconds
        self.stop_grace_seconds = stop_grace_seconds
        self._in_flight: dict[int, asyncio.Task[bool]] = {}
        self._stopping = asyncio.Event()
        self._slot_free = asyncio.Event()
        self._due = asyncio.Event()  # set by wake(): claim now instead of at the next poll
        self.wakeups = wakeups
        self._wakeup_subscription: Subscription | None = None
        self._tasks: list[asyncio.Task[None]] = []

    def register(self, kind: str, handler: JobHandler) -> None:
        self.handlers[kind] = handler

    def wake(self) -> None:
        """Jobs were queued: an idle runner claims them now."""
        self._due.set()

    @property
    def running(self) -> bool:
        return bool(self._tasks) and not self._stopping.is_set()

    async def start(self) -> None:
        if self._tasks:
            return
        self._stopping.clear()
        self._tasks = [
            asyncio.create_task(self._poll(), name="godwit-jobs-poll"),
            asyncio.create_task(self._renew_leases(), name="godwit-jobs-lease"),
        ]
        if self.wakeups is not None:
            self._tasks.append(
                asyncio.create_task(self._listen(self.wakeups), name="godwit-jobs-wakeups")
            )
        log.info(
            "job runner %s started (%d at once, kinds: %s)",
            self.worker_id,
            self.concurrency,
            ", ".join(sorted(self.handlers)),
        )

    async def stop(self) -> None:
        """Stop claiming, let in-flight jobs finish within the grace period, then give the
        rest back to the queue so another runner takes them without waiting for a lease."""
        if not self._tasks:
            return
        self._stopping.set()
        self._slot_free.set()
        self._due.set()
        if self._wakeup_subscription is not None:
            await self._wakeup_subscription.close()  # ends the listening loop
        in_flight = list(self._in_flight.values())
        if in_flight:
            await asyncio.wait(in_flight, timeout=self.stop_grace_seconds)
        unfinished = [job_id for job_id, task in self._in_flight.items() if not task.done()]
        for job_id in unfinished:
            self._in_flight[job_id].cancel()
        # The loops see the stop event and return after their current database call;
        # cancelling them mid-call would strand the driver's thread (SQLite) with a result
        # for a loop that may be closed by then.
        _done, pending = await asyncio.wait(self._tasks, timeout=self.stop_grace_seconds)
        for task in pending:
            task.cancel()
        await asyncio.gather(*self._tasks, *self._in_flight.values(), return_exceptions=True)
        self._tasks = []
        if unfinished:
            try:
                await self.service.release(unfinished, self.worker_id)
            except Exception:
                log.exception(
                    "could not release %d jobs; their leases will expire", len(unfinished)
                )
        log.info("job runner %s stopped", self.worker_id)

    async def _poll(self) -> None:
        while not self._stopping.is_set():
            free = self.concurrency - len(self._in_flight)
            if free <= 0:
                self._slot_free.clear()
                await self._slot_free.wait()
                continue
            idle = self.idle_seconds
            self._due.clear()  # a wake-up from here on means another claim
            try:
                claimed = await self.service.claim(self.worker_id, free, self.lease_seconds)
            except Exception:
                log.exception("claiming jobs failed; retrying shortly")
                claimed = []
                idle = max(idle, ERROR_PAUSE_SECONDS)  # the database may be down: no log flood
            for job in claimed:
                task = asyncio.create_task(self.service.execute(job, self.handlers))
                self._in_flight[job.id] = task
                task.add_done_callback(functools.partial(self._finished, job.id))
            if not claimed:
                # Woken by a commit that queued jobs, by stop(), or at the next poll.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._due.wait(), idle)

    async def _listen(self, wakeups: JobWakeups) -> None:
        """Wake this runner whenever a commit (of any process sharing the pub/sub) says it
        queued jobs; resubscribe after a failure, with a pause."""
        while not self._stopping.is_set():
            try:
                subscription = await wakeups.listen()
            except Exception:
                log.warning("cannot listen for job wake-ups; polling only", exc_info=True)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), ERROR_PAUSE_SECONDS)
                continue
            self._wakeup_subscription = subscription
            if self._stopping.is_set():
                await subscription.close()
                return
            async for _message in subscription:
                self.wake()

    def _finished(self, job_id: int, _task: asyncio.Task[bool]) -> None:
        task = self._in_flight.pop(job_id, None)
        if task is not None and not task.cancelled() and task.exception() is not None:
            # execute() records handler failures itself; this is a storage failure while
            # recording the outcome. The lease expires and the job runs again.
            log.error("job %s could not be recorded", job_id, exc_info=task.exception())
        self._slot_free.set()

    async def _renew_leases(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.lease_seconds / 3)
            held = list(self._in_flight)
            if held and not self._stopping.is_set():
                try:
                    await self.service.renew(held, self.worker_id, self.lease_seconds)
                except Exception:
                    log.exception("renewing job leases failed")

    async def run_until_idle(self, *, max_seconds: float = 30.0) -> None:
        """Run due jobs here and now until none is due or running anywhere (jobs a job
        enqueues included). For tests and one-off commands: deterministic, no sleeping
        on a guess. Jobs held by another runner are waited for, not taken over."""
        async with asyncio.timeout(max_seconds):
            while True:
                claimed = await self.service.claim(
                    self.worker_id, self.concurrency, self.lease_seconds
                )
                if claimed:
                    await asyncio.gather(
                        *(self.service.execute(job, self.handlers) for job in claimed)
                    )
                    continue
                # One read, not "none running" then "none due": between two reads another
                # runner's claim could commit and hide a job from both.
                if not await self.service.busy():
                    return
                await asyncio.sleep(0.01)
