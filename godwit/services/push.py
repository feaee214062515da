"""Web Push subscriptions (one per access token) and the instance's VAPID key pair."""

from __future__ import annotations

import datetime as dt

from godwit.config import Settings
from godwit.domain.errors import NotFound
from godwit.domain.oauth import Credentials
from godwit.domain.push import (
    NewSubscription,
    PushSubscription,
    SubscriptionData,
    VapidKeys,
    validate_auth,
    validate_endpoint,
    validate_p256dh,
    validate_policy,
)
from godwit.ports.push import PushSender, TokenSealer
from godwit.ports.store import Store


def _member(credentials: Credentials) -> tuple[int, int]:
    if credentials.user_id is None or credentials.account_id is None:
        raise NotFound()  # the API asks for a user token first; this is the type guard
    return credentials.user_id, credentials.account_id


class PushService:
    def __init__(
        self, store: Store, settings: Settings, sender: PushSender, sealer: TokenSealer
    ) -> None:
        self.store = store
        self.settings = settings
        self.sender = sender
        self.sealer = sealer
        self._keys: VapidKeys | None = None

    # --- the instance's key pair ------------------------------------------------------

    async def vapid_keys(self) -> VapidKeys:
        """The key pair, made and stored on first use. Every process reads the same row;
        if two make one at once, the first insert wins and both use it."""
        if self._keys is not None:
            return self._keys
        async with self.store.read() as tx:
            keys = await tx.push.vapid_keys()
        if keys is None:
            fresh = self.sender.new_vapid_keys()
            async with self.store.write() as tx:
                await tx.push.add_vapid_keys(fresh, dt.datetime.now(dt.UTC))
                keys = await tx.push.vapid_keys()
        assert keys is not None
        self._keys = keys
        return keys

    async def server_key(self) -> str:
        return (await self.vapid_keys()).public_key

    # --- subscriptions ----------------------------------------------------------------

    def checked(self, new: NewSubscription) -> NewSubscription:
        """Validated and normalised (keys as unpadded base64url); Invalid (422) otherwise."""
        return NewSubscription(
            endpoint=validate_endpoint(
                new.endpoint, allow_loopback=self.settings.push_allow_loopback
            ),
            p256dh=validate_p256dh(new.p256dh),
            auth=validate_auth(new.auth),
            standard=new.standard,
            data=SubscriptionData(alerts=new.data.alerts, policy=validate_policy(new.data.policy)),
        )

    async def subscribe(
        self, credentials: Credentials, token: str, new: NewSubscription
    ) -> PushSubscription:
        """Replace the token's subscription (Mastodon: one per token, a new one each time)."""
        user_id, account_id = _member(credentials)
        valid = self.checked(new)
        await self.vapid_keys()  # so the answer's server_key exists before apps use it
        async with self.store.write() as tx:
            return await tx.push.replace_for_token(
                token_id=credentials.token_id,
                user_id=user_id,
                account_id=account_id,
                new=valid,
                sealed_token=self.sealer.seal(token),
                now=dt.datetime.now(dt.UTC),
            )

    async def subscription(self, credentials: Credentials) -> PushSubscription:
        _member(credentials)
        async with self.store.read() as tx:
            found = await tx.push.for_token(credentials.token_id)
        if found is None:
            raise NotFound()
        return found

    async def update(self, credentials: Credentials, data: SubscriptionData) -> PushSubscription:
        """Alerts and policy are replaced as a whole, as Mastodon does (an alert not sent
        is turned off, a missing policy is "all")."""
        _member(credentials)
        data = SubscriptionData(alerts=data.alerts, policy=validate_policy(data.policy))
        async with self.store.write() as tx:
            updated = await tx.push.update_data(credentials.token_id, data)
        if updated is None:
            raise NotFound()
        return updated

    async def unsubscribe(self, credentials: Credentials) -> None:
        """Idempotent: answering {} whether or not there was one, as Mastodon does."""
        _member(credentials)
        async with self.store.write() as tx:
            await tx.push.delete_for_token(credentials.token_id)
