"""The one route table of the Mastodon client API."""

from __future__ import annotations

from starlette.routing import BaseRoute

from godwit.api import (
    accounts,
    graph,
    instance,
    member_settings,
    notifications,
    oauth,
    statuses,
    timelines,
)

# Order matters: literal paths such as /api/v1/accounts/relationships (graph) come before
# any /api/v1/accounts/{id} route, which would otherwise capture them.
ROUTES: list[BaseRoute] = [
    *accounts.routes,
    *graph.routes,
    *oauth.routes,
    *instance.routes,
    *member_settings.routes,
    *notifications.routes,
    *statuses.routes,
    *timelines.routes,
    # Last: /api/v1/accounts/{id} would capture any literal path after it.
    *accounts.id_routes,
]
