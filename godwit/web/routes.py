"""The route table of the HTML pages (app.py mounts it beside the API's)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from godwit.web import (
    about_page,
    account_actions,
    admin_accounts,
    admin_actions,
    admin_audit,
    admin_held_posts,
    admin_moderation,
    admin_reports,
    admin_settings,
    assets,
    auth_pages,
    collection_pages,
    compose,
    list_pages,
    live,
    notification_pages,
    oauth,
    profile_pages,
    report_pages,
    search_pages,
    settings_pages,
    status_actions,
    status_pages,
    tag_pages,
    timeline_pages,
)

WEB_ROUTES: list[BaseRoute] = [
    *assets.routes,
    *oauth.routes,
    *auth_pages.routes,
    *timeline_pages.routes,
    *compose.routes,
    *status_actions.routes,
    *notification_pages.routes,
    *search_pages.routes,
    *tag_pages.routes,
    *collection_pages.routes,
    *list_pages.routes,
    *live.routes,
    *admin_reports.routes,
    *admin_held_posts.routes,
    *admin_moderation.routes,
    *admin_accounts.routes,
    *admin_actions.routes,
    *admin_settings.routes,
    *admin_audit.routes,
    *about_page.routes,
    *report_pages.routes,
    *account_actions.routes,
    *settings_pages.routes,
    # /@{acct}/followers and the other literal segments before /@{acct}/{id}.
    *profile_pages.routes,
    *status_pages.routes,
]
