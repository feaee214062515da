"""NotificationPolicy and NotificationRequest (Mastodon 4.3)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from godwit.config import Settings
from godwit.domain.notification_policy import POLICY_FIELDS
from godwit.entities.common import iso
from godwit.entities.notifications import Renderer
from godwit.services.notification_policy import PolicyView, RequestView


def render_policy(view: PolicyView) -> dict[str, Any]:
    rendered: dict[str, Any] = {name: getattr(view.policy, name).value for name in POLICY_FIELDS}
    rendered["summary"] = {
        "pending_requests_count": view.summary.pending_requests_count,
        "pending_notifications_count": view.summary.pending_notifications_count,
    }
    return rendered


def _render_request(view: RequestView, renderer: Renderer) -> dict[str, Any]:
    request = view.request
    return {
        "id": str(request.id),
        "created_at": iso(request.created_at),
        "updated_at": iso(request.updated_at),
        "notifications_count": str(request.notifications_count),  # a string, as Mastodon
        "account": renderer.account(view.account),
        "last_status": renderer.status(view.last_status) if view.last_status else None,
    }


def render_request(view: RequestView, settings: Settings) -> dict[str, Any]:
    return _render_request(view, Renderer(settings))


def render_requests(views: Sequence[RequestView], settings: Settings) -> list[dict[str, Any]]:
    renderer = Renderer(settings)
    return [_render_request(view, renderer) for view in views]
