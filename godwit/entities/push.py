"""The WebPushSubscription entity."""

from __future__ import annotations

from typing import Any

from godwit.domain.push import ALERT_TYPES, PushSubscription


def render_push_subscription(subscription: PushSubscription, server_key: str) -> dict[str, Any]:
    return {
        "id": str(subscription.id),
        "endpoint": subscription.endpoint,
        "standard": subscription.standard,
        # Every alert, on or off (the document requires them; Mastodon lists those stored).
        "alerts": {name: name in subscription.alerts for name in ALERT_TYPES},
        "policy": subscription.policy,
        "server_key": server_key,
    }
