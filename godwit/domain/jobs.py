"""Durable background jobs: what a job is, and when a failed one runs again.

A job is a row in the database, so it survives crashes and restarts. Workers claim jobs
under a lease; a worker that dies simply lets its lease expire and another worker picks
the job up again. Handlers must therefore be idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

DEFAULT_MAX_ATTEMPTS = 10
BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 3600.0


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FAILED = "failed"  # gave up: kept with last_error for an operator to inspect


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: str
    payload: dict[str, Any]
    state: JobState
    attempts: int  # attempts started so far, this one included once claimed
    max_attempts: int
    run_at: dt.datetime
    locked_by: str | None = None
    locked_until: dt.datetime | None = None
    last_error: str | None = None

    @property
    def exhausted(self) -> bool:
        """No attempt left after this one fails."""
        return self.attempts >= self.max_attempts

    @property
    def over_limit(self) -> bool:
        """Claimed more often than allowed: earlier attempts died without reporting
        (a worker crash or a job that kills its worker), so do not start it again."""
        return self.attempts > self.max_attempts


def backoff_seconds(
    attempts: int,
    *,
    base: float = BACKOFF_BASE_SECONDS,
    cap: float = BACKOFF_CAP_SECONDS,
    rand: Callable[[], float] = random.random,
) -> float:
    """Delay before the next attempt after ``attempts`` failed ones.

    Exponential ("equal jitter"): the ceiling doubles per attempt up to ``cap``; the delay
    is at least half the ceiling (so retries really back off) plus a random share of the
    other half (so jobs that failed together do not retry in lockstep).
    """
    exponent = max(0, attempts - 1)
    ceiling = cap if exponent >= 64 else min(cap, base * (2.0**exponent))
    half = ceiling / 2
    return half + rand() * half


def describe_error(error: BaseException, *, limit: int = 2000) -> str:
    """The text kept in ``last_error``: the exception type and message, bounded."""
    text = f"{type(error).__name__}: {error}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PermanentJobError(Exception):
    """Raised by a handler when retrying cannot help (bad payload, unknown kind)."""
