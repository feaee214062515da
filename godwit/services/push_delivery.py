"""Delivering notifications by Web Push: queued with the notification, sent by a job.

``enqueue_pushes`` runs inside the transaction that stores a notification, so the pushes
commit with it or not at all: one ``push.deliver`` job per subscription whose alerts and
policy want it. The job re-reads everything (the subscription may be gone, the alert turned
off, the notification withdrawn), encrypts and sends through the ``PushSender`` port, and
maps the push service's answer: 404/410 delete the subscription, 408/429/5xx and network
failures raise so the job system retries with backoff, any other refusal gives up.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from godwit.config import Settings
from godwit.domain.ids import parse_id
from godwit.domain.jobs import PermanentJobError
from godwit.domain.notifications import Notification
from godwit.domain.push import (
    PUSH_JOB,
    PushMessage,
    PushOutcome,
    PushSubscription,
    policy_allows,
)
from godwit.domain.push_payload import push_payload
from godwit.ports.push import PushSender, TokenSealer
from godwit.ports.store import Store, Transaction
from godwit.services.instance import effective_settings
from godwit.services.push import PushService

log = logging.getLogger("godwit.push")


class PushDeferred(Exception):
    """The push service could not take the message now (busy, down, unreachable)."""


async def _wanted(
    tx: Transaction,
    subscriptions: list[PushSubscription],
    *,
    recipient_id: int,
    from_account_id: int,
    type: str,
) -> list[PushSubscription]:
    """The subscriptions whose alerts and policy let this notification through; the graph
    is read only when a policy needs it."""
    candidates = [s for s in subscriptions if type in s.alerts and s.policy != "none"]
    needs_graph = any(s.policy in ("followed", "follower") for s in candidates)
    follows = follower = False
    if needs_graph:
        follows = await tx.graph.is_following(recipient_id, from_account_id)
        follower = await tx.graph.is_following(from_account_id, recipient_id)
    return [
        s
        for s in candidates
        if policy_allows(
            s.policy, recipient_follows_sender=follows, sender_follows_recipient=follower
        )
    ]


async def enqueue_pushes(
    tx: Transaction, *, notification_id: int, recipient_id: int, from_account_id: int, type: str
) -> None:
    """Queue one delivery per matching subscription, in the caller's transaction."""
    subscriptions = await tx.push.for_recipient(recipient_id)
    if not subscriptions:
        return
    wanted = await _wanted(
        tx, subscriptions, recipient_id=recipient_id, from_account_id=from_account_id, type=type
    )
    for subscription in wanted:
        await tx.jobs.enqueue(
            PUSH_JOB,
            {"subscription_id": subscription.id, "notification_id": notification_id},
        )


class PushDeliveryService:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        sender: PushSender,
        sealer: TokenSealer,
        keys: PushService,
    ) -> None:
        self.store = store
        self.settings = settings
        self.sender = sender
        self.sealer = sealer
        self.keys = keys

    async def handle_deliver(self, payload: dict[str, Any]) -> None:
        """The "push.deliver" job."""
        subscription_id = parse_id(payload.get("subscription_id"))
        notification_id = parse_id(payload.get("notification_id"))
        if subscription_id is None or notification_id is None:
            raise PermanentJobError(f"push.deliver with a bad payload: {payload!r}")
        message = await self._message(subscription_id, notification_id)
        if message is None:
            return  # nothing to send any more
        subscription, push = message
        result = await self.sender.send(push)
        if result.outcome is PushOutcome.DELIVERED:
            return
        if result.outcome is PushOutcome.GONE:
            log.info(
                "push subscription %s is gone (%s); deleting it", subscription.id, result.status
            )
            async with self.store.write() as tx:
                await tx.push.delete(subscription.id)
            return
        if result.outcome is PushOutcome.RETRY:
            raise PushDeferred(f"push service answered {result.status}: {result.detail}")
        raise PermanentJobError(f"push refused ({result.status}): {result.detail}")

    async def _message(
        self, subscription_id: int, notification_id: int
    ) -> tuple[PushSubscription, PushMessage] | None:
        async with self.store.read() as tx:
            subscription = await tx.push.get_live(subscription_id)
            if subscription is None:
                return None  # unsubscribed, replaced, or its token revoked
            notification = await tx.notifications.get(subscription.account_id, notification_id)
            if notification is None or notification.filtered:
                return None  # withdrawn (unfavourited…), dismissed, or held back by policy
            wanted = await _wanted(
                tx,
                [subscription],
                recipient_id=subscription.account_id,
                from_account_id=notification.from_account_id,
                type=notification.type,
            )
            if not wanted:
                return None  # the member changed the alerts or policy since
            body = await self._payload(tx, subscription, notification)
            if body is None:
                return None
            contact = effective_settings(self.settings, await tx.instance.settings())
        keys = await self.keys.vapid_keys()
        email = str(contact.get("contact_email") or "")
        subject = f"mailto:{email}" if email else self.settings.base_url
        return subscription, PushMessage(
            endpoint=subscription.endpoint,
            p256dh=subscription.p256dh,
            auth=subscription.auth,
            standard=subscription.standard,
            payload=body,
            vapid=keys,
            subject=subject,
        )

    async def _payload(
        self, tx: Transaction, subscription: PushSubscription, notification: Notification
    ) -> bytes | None:
        sender = await tx.accounts.get(notification.from_account_id)
        if sender is None:
            return None
        status = None
        if notification.status_id is not None:
            status = await tx.statuses.get(notification.status_id)
            if status is None:
                return None  # deleted since
        user = await tx.accounts.get_user(subscription.user_id)
        # Clients (Mastodon's own among them) decode access_token as a required string: a
        # token sealed under another secret is sent empty rather than left out.
        token = self.sealer.unseal(subscription.sealed_token) or ""
        document = push_payload(
            notification,
            sender,
            status,
            access_token=token,
            locale=user.locale if user is not None else "en",
            base_url=self.settings.base_url,
        )
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
