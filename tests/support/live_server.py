"""A real ``godwit serve`` (or ``godwit worker``) subprocess on a free loopback port.

Used by the end-to-end tests: the server gets a fresh database (SQLite file, or a fresh
PostgreSQL database when ``GODWIT_TEST_DATABASE_URL`` is set), its own media directory, Redis
when ``GODWIT_TEST_REDIS_URL`` is set, and rate limits off unless a test asks for them.
Its output goes to a log file that the e2e conftest attaches to failing tests.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from tests.databases import REDIS_URL

READY_TIMEOUT_SECONDS = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """One server configuration; start() and kill() may be called again (crash tests)."""

    def __init__(
        self,
        workdir: Path,
        database_url: str,
        *,
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        self.workdir = workdir
        self.database_url = database_url
        self.port = free_port()
        self.extra_env = dict(extra_env or {})
        self.log_path = workdir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self, **overrides: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GODWIT_")}
        env.update(
            {
                "GODWIT_DATABASE_URL": self.database_url,
                "GODWIT_MEDIA_DIR": str(self.workdir / "media"),
                "GODWIT_DOMAIN": f"127.0.0.1:{self.port}",
                "GODWIT_SCHEME": "http",
                "GODWIT_HOST": "127.0.0.1",
                "GODWIT_PORT": str(self.port),
                "GODWIT_SECRET_KEY": "e2e-secret-key-not-for-production",
                "GODWIT_REDIS_URL": REDIS_URL,
                "GODWIT_RATE_LIMITS_ENABLED": "false",
                # No fetching of the links tests post (a test may turn it on, on loopback).
                "GODWIT_PREVIEW_CARDS": "false",
                # Posts publish at once (the moderation pipeline's own tests turn it on).
                "GODWIT_MODERATION_THREAT_POLICY": "off",
                "GODWIT_MODERATION_NEW_ACCOUNT_MAX_MENTIONS": "0",
                "GODWIT_MODERATION_NEW_ACCOUNT_MAX_LINKS": "0",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        env.update(overrides)
        return env

    def _spawn(self, command: str, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
        log = self.log_path.open("ab")
        log.write(f"\n===== godwit {command} (port {self.port}) =====\n".encode())
        log.flush()
        try:
            return subprocess.Popen(
                [sys.executable, "-m", "godwit", command],
                env=dict(env),
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
            )
        finally:
            log.close()

    def start(self, **env_overrides: str) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        self.process = self._spawn("serve", self.environment(**env_overrides))
        self.wait_ready()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"godwit serve exited with {self.process.returncode} during start-up:\n"
                    + self.log_tail()
                )
            try:
                response = httpx.get(f"{self.base_url}/api/v1/instance", timeout=2.0)
                if response.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            f"godwit serve was not ready after {READY_TIMEOUT_SECONDS}s:\n" + self.log_tail()
        )

    def start_worker(self, **env_overrides: str) -> subprocess.Popen[bytes]:
        worker = self._spawn("worker", self.environment(**env_overrides))
        self.workers.append(worker)
        return worker

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flushing — a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        for worker in self.workers:
            _terminate(worker)
        self.workers.clear()
        if self.process is not None:
            _terminate(self.process)

    def log_tail(self, max_chars: int = 20_000) -> str:
        if not self.log_path.exists():
            return "(no server log)"
        text = self.log_path.read_text(errors="replace")
        return text[-max_chars:]


def _terminate(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
