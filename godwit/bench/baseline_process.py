"""Start and stop ``godwit bench baseline-server`` as a child process of the run."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import httpx

READY_SECONDS = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BaselineServer:
    def __init__(self, *, workers: int = 1, host: str = "127.0.0.1") -> None:
        self.workers = workers
        self.host = host
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def __enter__(self) -> BaselineServer:
        command = [
            sys.executable, "-m", "godwit", "bench", "baseline-server",
            "--host", self.host, "--port", str(self.port), "--workers", str(self.workers),
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, stdout=self._log, stderr=subprocess.STDOUT, cwd=Path.cwd()
        )
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the baseline server exited at start-up:\n{self.log()}")
            try:
                if httpx.get(f"{self.base_url}/hello", timeout=1.0).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the baseline server was not ready in {READY_SECONDS:.0f} s")

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-5000:]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _trace: TracebackType | None,
    ) -> None:
        self.stop()
