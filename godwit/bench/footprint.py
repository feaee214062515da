"""The stack's footprint from /proc: RSS of every process, CPU seconds, disk bytes.

The stack is the processes given by id (with all their descendants, e.g. uvicorn or
worker children) plus every process whose name (``/proc/<pid>/comm``) is one of the given
names (``postgres``, ``redis-server``). Linux only; elsewhere every figure is ``None``.
Other users' processes need only /proc/<pid>/stat and status, which are world-readable.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after its last ")".
    return text[text.rindex(")") + 2 :].split()


def _all_pids() -> list[int]:
    try:
        return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]
    except OSError:
        return []


def _name(pid: int) -> str:
    try:
        return (PROC / str(pid) / "comm").read_text().strip()
    except OSError:
        return ""


@dataclass
class Stack:
    pids: Sequence[int] = ()
    names: Sequence[str] = ()

    @property
    def available(self) -> bool:
        return PROC.is_dir() and bool(self.pids or self.names)

    def processes(self) -> set[int]:
        """The stack's processes now: the roots, their descendants, the named ones."""
        if not PROC.is_dir():
            return set()
        parents: dict[int, int] = {}
        found: set[int] = set()
        for pid in _all_pids():
            fields = _stat_fields(pid)
            if fields is None:
                continue
            parents[pid] = int(fields[1])
            if self.names and _name(pid) in self.names:
                found.add(pid)
        roots = {pid for pid in self.pids if pid in parents}
        for pid in parents:
            ancestor, hops = pid, 0
            while ancestor > 1 and hops < 64:
                if ancestor in roots:
                    found.add(pid)
                    break
                ancestor, hops = parents.get(ancestor, 0), hops + 1
        return found

    def rss_bytes(self, pids: Iterable[int] | None = None) -> int:
        total = 0
        for pid in self.processes() if pids is None else pids:
            fields = _stat_fields(pid)
            if fields is not None:
                total += int(fields[21]) * PAGE_SIZE  # rss, in pages
        return total

    def cpu_seconds(self) -> float:
        return sum(self.cpu_by_process().values())

    def cpu_by_process(self) -> dict[int, float]:
        """CPU seconds used so far by each of the stack's processes."""
        used: dict[int, float] = {}
        for pid in self.processes():
            fields = _stat_fields(pid)
            if fields is not None:
                used[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
        return used

    def cpu_since(self, before: dict[int, float]) -> float:
        """CPU seconds the stack used since ``before`` (a ``cpu_by_process``): what each of
        its processes used since then, all of what a process started since used. A process
        that has exited takes its last part with it, so this errs low, never below zero (a
        sum over the processes of both moments went negative when a PostgreSQL backend
        exited)."""
        total = 0.0
        for pid, now in self.cpu_by_process().items():
            then = before.get(pid, 0.0)
            total += now - then if now >= then else now  # a lower count: a reused pid
        return total


def disk_bytes(paths: Sequence[str]) -> int | None:
    """Bytes allocated on disk under the paths (files or folders); None when none exist."""
    total, seen = 0, False
    for path in map(Path, paths):
        if path.is_file():
            seen = True
            total += path.stat().st_blocks * 512
        elif path.is_dir():
            seen = True
            for folder, _dirs, files in os.walk(path):
                for file in files:
                    with contextlib.suppress(OSError):
                        total += (Path(folder) / file).stat().st_blocks * 512
    return total if seen else None


@dataclass
class RssSampler:
    """Samples the stack's total RSS once a second in the background."""

    stack: Stack
    interval: float = 1.0
    samples: list[tuple[float, int]] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    def sample(self) -> int:
        rss = self.stack.rss_bytes()
        self.samples.append((time.monotonic(), rss))
        return rss

    async def _loop(self) -> None:
        while True:
            await asyncio.to_thread(self.sample)
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        if self.stack.available and self._task is None:
            self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @property
    def peak(self) -> int | None:
        return max((rss for _, rss in self.samples), default=None)


async def wait_until_idle(stack: Stack, limit: float, idle_cores: float) -> float:
    """Wait until ``stack`` uses less than ``idle_cores`` of CPU over a second, at most
    ``limit`` seconds; the seconds waited (about 1 when it is idle already)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = stack.cpu_by_process()
        await asyncio.sleep(1.0)
        if stack.cpu_since(before) < idle_cores:
            break
    return round(time.monotonic() - started, 1)
