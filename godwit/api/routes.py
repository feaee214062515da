"""The one route table of the Mastodon client API."""

from __future__ import annotations

from starlette.routing import BaseRoute

from godwit.api import (
    account_lookup,
    accounts,
    admin_accounts,
    admin_reports,
    discovery,
    domain_blocks,
    filters,
    graph,
    health,
    instance,
    links,
    lists,
    media,
    member_settings,
    notification_groups,
    notification_requests,
    notifications,
    oauth,
    polls,
    profile_images,
    push,
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
    # Requests and the policy first: /notifications/{id} and /{group_key} would capture them.
    *notification_requests.routes,
    *notifications.routes,
    *notification_groups.routes,
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
    *profile_images.routes,
    *reports.routes,
    *domain_blocks.routes,
    *tags.routes,
    *discovery.routes,
    *links.routes,
    *account_lookup.routes,
    *health.routes,
    *push.routes,
    *admin_accounts.routes,
    *admin_reports.routes,
    # Last: /api/v1/accounts/{id} would capture any literal path after it.
    *accounts.id_routes,
]
