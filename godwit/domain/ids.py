"""64-bit time-sortable identifiers with random low bits.

Layout (as Mastodon): milliseconds since the Unix epoch in the high 48 bits, 16 random bits
below. IDs sort by creation time, fit a signed BIGINT, and are exposed as decimal strings.
Because the low bits are random, ``id + 1`` names nothing: IDs cannot be walked.
"""

from __future__ import annotations

import secrets
import threading
import time

RANDOM_BITS = 16
_RANDOM_MASK = (1 << RANDOM_BITS) - 1


class IdGenerator:
    """Makes unique IDs within one process; cross-process clashes are vanishingly rare
    (two in the same millisecond with the same 16 random bits) and caught by primary keys."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = 0
        self._used: set[int] = set()

    def new(self, at_ms: int | None = None) -> int:
        ms = int(time.time() * 1000) if at_ms is None else at_ms
        with self._lock:
            if ms != self._last_ms:
                self._last_ms = ms
                self._used.clear()
            while True:
                low = secrets.randbits(RANDOM_BITS)
                if low not in self._used:
                    self._used.add(low)
                    return (ms << RANDOM_BITS) | low

    @staticmethod
    def lower_bound_for(ms: int) -> int:
        """The smallest ID that could have been made at ``ms`` (for time-range queries)."""
        return ms << RANDOM_BITS


def timestamp_ms(identifier: int) -> int:
    return identifier >> RANDOM_BITS


def parse_id(value: object) -> int | None:
    """An ID from client input, or None if it is not a well-formed positive 63-bit integer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
    else:
        return None
    if 0 < number < (1 << 63):
        return number
    return None


new_id = IdGenerator().new
