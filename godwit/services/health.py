"""The health check load balancers call: is the database answering?"""

from __future__ import annotations

import asyncio
import logging

from godwit.ports.store import Store

log = logging.getLogger("godwit.health")

CHECK_TIMEOUT_SECONDS = 5.0


class HealthService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def database_ok(self) -> bool:
        """One trivial query, with a deadline; any failure means "not healthy" (the check
        must answer, whatever broke), and is logged."""
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_SECONDS), self.store.read() as tx:
                await tx.instance.ping()
        except Exception:  # the database driver's errors, timeouts: all mean "down"
            log.warning("health check: the database is not answering", exc_info=True)
            return False
        return True
