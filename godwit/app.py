"""The composition root: build_app(settings) wires adapters to services to an ASGI app.

This is the only module that knows which adapter implements which port.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware

from godwit.api.errors import EXCEPTION_HANDLERS
from godwit.api.routes import ROUTES
from godwit.config import Settings
from godwit.services.container import Services
from godwit.services.oauth import OAuthService
from godwit.storage.database import Database
from godwit.storage.store import SqlStore

log = logging.getLogger("godwit")


class Components:
    """Everything built for one process, so the CLI, the worker and tests can share it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.database = Database(settings.database_url)
        self.store = SqlStore(self.database)
        self.services = Services(
            settings=settings,
            oauth=OAuthService(self.store),
        )

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        await self.database.dispose()


def build_app(settings: Settings) -> Starlette:
    components = Components(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await components.start()
        try:
            yield
        finally:
            await components.stop()

    middleware: list[Middleware] = []
    app = Starlette(
        routes=ROUTES,
        middleware=middleware,
        exception_handlers=dict[Any, Any](EXCEPTION_HANDLERS),
        lifespan=lifespan,
    )
    app.state.services = components.services
    app.state.components = components
    return app
