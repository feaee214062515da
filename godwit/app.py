"""The composition root: build_app(settings) wires adapters to services to an ASGI app.

This is the only module that knows which adapter implements which port.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware

from godwit.api.errors import EXCEPTION_HANDLERS
from godwit.api.middleware import ApiCorsMiddleware, RequestIdMiddleware, SecurityHeadersMiddleware
from godwit.api.ratelimit import RateLimitMiddleware
from godwit.api.routes import ROUTES
from godwit.cache.memory import MemoryRateLimiter
from godwit.cache.redis import RedisRateLimiter
from godwit.config import Settings
from godwit.jobs.runner import JobRunner
from godwit.ports.ratelimit import RateLimiter
from godwit.security.keys import RsaKeyPairGenerator
from godwit.security.passwords import Argon2PasswordHasher
from godwit.security.pool import BoundedPool
from godwit.services.accounts import AccountService
from godwit.services.container import Services
from godwit.services.graph import GraphService
from godwit.services.instance import InstanceService
from godwit.services.jobs import JobService
from godwit.services.member_settings import MemberSettingsService
from godwit.services.notifications import NotificationService
from godwit.services.oauth import OAuthService
from godwit.services.seeding import SeedingService
from godwit.services.statuses import StatusService
from godwit.services.timelines import TimelineService
from godwit.storage.bulk import SqlSeedStore
from godwit.storage.database import Database
from godwit.storage.store import SqlStore
from godwit.web.routes import WEB_ROUTES

log = logging.getLogger("godwit")


class Components:
    """Everything built for one process, so the CLI, the worker and tests can share it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.database = Database(settings.database_url)
        self.store = SqlStore(self.database)
        self.rate_limiter = build_rate_limiter(settings)
        # CPU-heavy security work runs on bounded thread pools, off the event loop.
        self.password_pool = BoundedPool(settings.password_hash_workers, name="password-hash")
        self.key_pool = BoundedPool(settings.password_hash_workers, name="key-generation")
        self.services = Services(
            settings=settings,
            oauth=OAuthService(self.store, settings),
            accounts=AccountService(
                self.store,
                settings,
                Argon2PasswordHasher(self.password_pool),
                RsaKeyPairGenerator(self.key_pool),
            ),
            statuses=StatusService(self.store, settings),
            graph=GraphService(self.store),
            instance=InstanceService(self.store, settings),
            member_settings=MemberSettingsService(self.store),
            notifications=NotificationService(self.store),
            timelines=TimelineService(self.store, settings),
            # `godwit demo`'s bulk path; the same bounded pools as sign-up.
            seeding=SeedingService(
                self.store,
                SqlSeedStore(self.database),
                settings,
                Argon2PasswordHasher(self.password_pool),
                RsaKeyPairGenerator(self.key_pool),
            ),
        )
        self.job_runner = JobRunner(
            JobService(self.store),
            {
                "status.fanout": self.services.timelines.handle_status_fanout,
                "feed.backfill": self.services.timelines.handle_feed_backfill,
                "status.notify": self.services.notifications.handle_status_notify,
            },
            concurrency=settings.job_concurrency,
            lease_seconds=settings.job_lease_seconds,
        )

    async def start(self) -> None:
        if self.settings.run_jobs_in_process:
            await self.job_runner.start()

    async def stop(self) -> None:
        await self.job_runner.stop()  # before the database goes: jobs finish or are released
        await self.rate_limiter.close()
        self.password_pool.shutdown()
        self.key_pool.shutdown()
        await self.database.dispose()


def build_rate_limiter(settings: Settings) -> RateLimiter:
    """Redis when configured (limits shared by every process), else in-process memory."""
    if not settings.redis_url:
        return MemoryRateLimiter()
    # Keys are namespaced by database, so instances sharing one Redis keep separate counts.
    database_key = hashlib.sha256(settings.database_url.encode()).hexdigest()[:12]
    return RedisRateLimiter(settings.redis_url, namespace=f"godwit:{database_key}")


def build_app(settings: Settings) -> Starlette:
    components = Components(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await components.start()
        try:
            yield
        finally:
            await components.stop()

    # Outermost first: every response gets a request id and security headers; CORS
    # preflights are answered before rate limits and authentication.
    middleware: list[Middleware] = [
        Middleware(RequestIdMiddleware),
        Middleware(SecurityHeadersMiddleware),
        Middleware(ApiCorsMiddleware),
        Middleware(RateLimitMiddleware, settings=settings, limiter=components.rate_limiter),
    ]
    app = Starlette(
        routes=[*ROUTES, *WEB_ROUTES],
        middleware=middleware,
        exception_handlers=dict[Any, Any](EXCEPTION_HANDLERS),
        lifespan=lifespan,
    )
    app.state.services = components.services
    app.state.components = components
    return app
