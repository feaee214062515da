"""The stack's footprint from /proc: processes, RSS, CPU seconds, disk bytes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from godwit.bench.footprint import RssSampler, Stack, disk_bytes, wait_until_idle

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


@pytest.fixture
def child() -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [sys.executable, "-c", "import time; print('up', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.readline()  # it runs Python now (before exec, its name is still ours)
    try:
        yield process
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


def test_a_stack_is_its_roots_and_their_descendants(child: subprocess.Popen[bytes]) -> None:
    stack = Stack(pids=(os.getpid(),))
    found = stack.processes()
    assert {os.getpid(), child.pid} <= found
    assert Stack(pids=(child.pid,)).processes() == {child.pid}  # not its parent


def test_a_stack_counts_processes_by_name(child: subprocess.Popen[bytes]) -> None:
    name = Path(f"/proc/{child.pid}/comm").read_text().strip()
    assert child.pid in Stack(names=(name,)).processes()
    assert Stack(names=("no-such-process-name",)).processes() == set()


def test_rss_and_cpu_add_up_over_the_stack(child: subprocess.Popen[bytes]) -> None:
    both = Stack(pids=(os.getpid(),))
    alone = Stack(pids=(child.pid,))
    assert alone.rss_bytes() > 1_000_000  # a Python interpreter
    assert both.rss_bytes() > alone.rss_bytes()
    before = Stack(pids=(os.getpid(),)).cpu_seconds()
    sum(n * n for n in range(2_000_000))  # burn some CPU here
    assert Stack(pids=(os.getpid(),)).cpu_seconds() > before


def test_cpu_since_a_moment_counts_new_processes_and_never_goes_negative() -> None:
    stack = Stack(pids=(os.getpid(),))
    burner = subprocess.Popen(
        [sys.executable, "-c", "sum(n * n for n in range(3_000_000)); print('done', flush=True)"],
        stdout=subprocess.PIPE,
    )
    assert burner.stdout is not None
    burner.stdout.readline()  # it has burned its CPU and is about to exit
    before = stack.cpu_by_process()
    assert before[burner.pid] > 0.05
    burner.wait()  # it exits: its CPU leaves the stack's sum
    burner.stdout.close()
    assert stack.cpu_seconds() < sum(before.values())
    assert stack.cpu_since(before) >= 0
    sum(n * n for n in range(2_000_000))  # burn some CPU here
    assert stack.cpu_since(before) > 0.01


async def test_the_sampler_records_the_peak() -> None:
    sampler = RssSampler(Stack(pids=(os.getpid(),)), interval=0.01)
    sampler.start()
    await asyncio.sleep(0.1)
    await sampler.stop()
    assert len(sampler.samples) >= 2
    assert sampler.peak == max(rss for _, rss in sampler.samples)


def test_disk_bytes_of_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x" * 10_000)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_bytes(b"y" * 20_000)
    total = disk_bytes([str(tmp_path)])
    assert total is not None
    assert total >= 30_000
    single = disk_bytes([str(tmp_path / "a")])
    assert single is not None
    assert 10_000 <= single < total
    assert disk_bytes([str(tmp_path / "missing")]) is None


async def test_waiting_for_an_idle_stack() -> None:
    busy = await asyncio.create_subprocess_exec(sys.executable, "-c", "while True: pass")
    try:
        # A process spinning on a core never goes idle: the wait gives up at its limit.
        assert await wait_until_idle(Stack((busy.pid,)), 2.5, 0.15) >= 2.5
    finally:
        busy.kill()
        await busy.wait()
    idle = await asyncio.create_subprocess_exec(sys.executable, "-c", "import time; time.sleep(30)")
    try:
        await asyncio.sleep(0.5)  # past its start-up
        assert await wait_until_idle(Stack((idle.pid,)), 10, 0.15) < 2.5
    finally:
        idle.kill()
        await idle.wait()
