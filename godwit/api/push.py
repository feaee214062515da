"""Web Push subscription endpoints: /api/v1/push/subscription (POST, GET, PUT, DELETE).

One subscription per access token, under the ``push`` scope, as in Mastodon. Parameters
are ``subscription[endpoint]``, ``subscription[keys][p256dh]``, ``subscription[keys][auth]``,
``subscription[standard]``, ``data[alerts][TYPE]`` and ``data[policy]`` (a top-level
``policy`` is read too: Mastodon.py sends it there).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import bearer_token, require_user
from godwit.api.context import params, services
from godwit.api.http import Params, json_response
from godwit.domain.push import (
    ALERT_TYPES,
    DEFAULT_POLICY,
    MAX_ENDPOINT_LENGTH,
    NewSubscription,
    PushSubscription,
    SubscriptionData,
)
from godwit.entities.push import render_push_subscription

SCOPE = "push"
MAX_KEY_LENGTH = 256


def _data(p: Params) -> SubscriptionData:
    data = Params(p.dict("data"))
    alerts = Params(data.dict("alerts"))
    enabled = frozenset(name for name in ALERT_TYPES if alerts.bool(name, False))
    policy = data.str("policy", max_length=32) or p.str("policy", max_length=32)
    return SubscriptionData(alerts=enabled, policy=policy or DEFAULT_POLICY)


def _new_subscription(p: Params) -> NewSubscription:
    subscription = Params(p.dict("subscription"))
    keys = Params(subscription.dict("keys"))
    return NewSubscription(
        endpoint=subscription.required_str("endpoint", max_length=MAX_ENDPOINT_LENGTH),
        p256dh=keys.required_str("p256dh", max_length=MAX_KEY_LENGTH),
        auth=keys.required_str("auth", max_length=MAX_KEY_LENGTH),
        standard=bool(subscription.bool("standard", False)),
        data=_data(p),
    )


async def _render(request: Request, subscription: PushSubscription) -> Response:
    server_key = await services(request).push.server_key()
    return json_response(render_push_subscription(subscription, server_key))


async def create_subscription(request: Request) -> Response:
    credentials = await require_user(request, SCOPE)
    token = bearer_token(request)
    assert token is not None  # require_user accepted it
    new = _new_subscription(await params(request))
    subscription = await services(request).push.subscribe(credentials, token, new)
    return await _render(request, subscription)


async def show_subscription(request: Request) -> Response:
    credentials = await require_user(request, SCOPE)
    return await _render(request, await services(request).push.subscription(credentials))


async def update_subscription(request: Request) -> Response:
    credentials = await require_user(request, SCOPE)
    data = _data(await params(request))
    return await _render(request, await services(request).push.update(credentials, data))


async def delete_subscription(request: Request) -> Response:
    credentials = await require_user(request, SCOPE)
    await services(request).push.unsubscribe(credentials)
    return json_response({})


routes: list[BaseRoute] = [
    Route("/api/v1/push/subscription", create_subscription, methods=["POST"]),
    Route("/api/v1/push/subscription", show_subscription, methods=["GET"]),
    Route("/api/v1/push/subscription", update_subscription, methods=["PUT"]),
    Route("/api/v1/push/subscription", delete_subscription, methods=["DELETE"]),
]
