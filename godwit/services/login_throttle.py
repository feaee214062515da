"""Throttling of failed sign-ins, per client IP and per login name.

In-process for now: one counter per server process. It sits behind this small class so the
platform slice can move it onto the shared rate-limiter port (Redis) without touching callers.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from godwit.domain.client_address import limit_subject

# Mastodon (Rack::Attack) allows 5 failed sign-ins per login and 25 per IP within minutes.
MAX_FAILURES_PER_LOGIN = 5
MAX_FAILURES_PER_IP = 25
WINDOW_SECONDS = 900
# Bounded memory: beyond this many tracked keys the oldest are forgotten.
MAX_TRACKED_KEYS = 100_000


class LoginThrottle:
    def __init__(
        self,
        *,
        per_login: int = MAX_FAILURES_PER_LOGIN,
        per_ip: int = MAX_FAILURES_PER_IP,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_login = per_login
        self.per_ip = per_ip
        self.window = window_seconds
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def retry_after(self, ip: str, login: str) -> int | None:
        """Seconds to wait before trying again, or None when an attempt is allowed."""
        now = self.clock()
        waits = [
            self._wait(key, limit, now)
            for key, limit in ((_ip_key(ip), self.per_ip), (_login_key(login), self.per_login))
        ]
        longest = max(wait for wait in waits)
        return longest if longest > 0 else None

    def record_failure(self, ip: str, login: str) -> None:
        now = self.clock()
        for key in (_ip_key(ip), _login_key(login)):
            if key not in self._failures and len(self._failures) >= MAX_TRACKED_KEYS:
                self._failures.pop(next(iter(self._failures)))
            self._failures.setdefault(key, deque()).append(now)

    def record_success(self, login: str) -> None:
        """A correct password clears that login's failures (the IP's count stays)."""
        self._failures.pop(_login_key(login), None)

    def _wait(self, key: str, limit: int, now: float) -> int:
        times = self._failures.get(key)
        if not times:
            return 0
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
            return 0
        if len(times) < limit:
            return 0
        return max(1, int(times[0] + self.window - now) + 1)


def _ip_key(ip: str) -> str:
    return f"ip:{limit_subject(ip)}"  # an IPv6 client counts by its /64


def _login_key(login: str) -> str:
    return f"login:{login.strip().casefold()}"
