"""The one route table of the Mastodon client API."""

from __future__ import annotations

from starlette.routing import BaseRoute

from godwit.api import (
    accounts,
    discovery,
    domain_blocks,
    filters,
    graph,
    instance,
    lists,
    media,
    member_settings,
    notifications,
    oauth,
    polls,
    reports,
    scheduling,
    search,
    status_edits,
    status_marks,
    statuses,
    streaming,
    tags,
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
    *polls.routes,
    *scheduling.routes,
    *status_edits.routes,
    *status_marks.routes,
    *search.routes,
    *timelines.routes,
    *streaming.routes,
    *lists.routes,
    *filters.routes,
    *media.routes,
    *reports.routes,
    *domain_blocks.routes,
    *tags.routes,
    *discovery.routes,
    # Last: /api/v1/accounts/{id} would capture any literal path after it.
    *accounts.id_routes,
]
