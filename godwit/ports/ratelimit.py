"""The rate-limiter port: count hits per bucket in fixed windows.

Windows are aligned to the Unix epoch (a 300-second window resets at :00, :05, :10, … past
the hour), as Mastodon's rack-attack does. Alignment makes every adapter, and every process
sharing one backend, agree on when a bucket resets without storing the window's start.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RateLimitResult:
    limit: int
    remaining: int  # hits left in this window after this one (never negative)
    reset_at: dt.datetime  # UTC, when the current window ends
    allowed: bool  # False once this hit went over the limit
    retry_after: int  # whole seconds until the window resets; 0 when allowed


class RateLimiter(Protocol):
    async def hit(self, bucket_key: str, limit: int, window_seconds: int) -> RateLimitResult:
        """Count one hit against ``bucket_key`` and say whether it is within ``limit``."""
        ...

    async def close(self) -> None:
        """Release connections; the limiter is not used afterwards."""
        ...


def window_index(now: float, window_seconds: int) -> int:
    """Which epoch-aligned window ``now`` (Unix seconds) falls in."""
    return int(now // window_seconds)


def result_for_count(count: int, limit: int, window_seconds: int, now: float) -> RateLimitResult:
    """The verdict once a bucket's counter reads ``count`` (this hit included)."""
    reset = (window_index(now, window_seconds) + 1) * window_seconds
    allowed = count <= limit
    return RateLimitResult(
        limit=limit,
        remaining=max(0, limit - count),
        reset_at=dt.datetime.fromtimestamp(reset, dt.UTC),
        allowed=allowed,
        retry_after=0 if allowed else max(1, math.ceil(reset - now)),
    )
