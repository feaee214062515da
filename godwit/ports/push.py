"""Ports for Web Push: the subscription repository, the sender and the token sealer."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from godwit.domain.push import (
    NewSubscription,
    PushMessage,
    PushResult,
    PushSubscription,
    SubscriptionData,
    VapidKeys,
)


class PushRepository(Protocol):
    async def replace_for_token(
        self,
        *,
        token_id: int,
        user_id: int,
        account_id: int,
        new: NewSubscription,
        sealed_token: str,
        now: dt.datetime,
    ) -> PushSubscription:
        """The token's subscription, replacing any it had (a new id: jobs queued for the
        old one find nothing). Safe against a concurrent replace of the same token."""
        ...

    async def for_token(self, token_id: int) -> PushSubscription | None: ...

    async def update_data(self, token_id: int, data: SubscriptionData) -> PushSubscription | None:
        """Replace alerts and policy; None when the token has no subscription."""
        ...

    async def delete_for_token(self, token_id: int) -> None: ...

    async def delete(self, subscription_id: int) -> None: ...

    async def get_live(self, subscription_id: int) -> PushSubscription | None:
        """The subscription if its token is live and its member may still sign in."""
        ...

    async def for_recipient(self, account_id: int) -> list[PushSubscription]:
        """Every live subscription of a local member (one query)."""
        ...

    async def vapid_keys(self) -> VapidKeys | None: ...

    async def add_vapid_keys(self, keys: VapidKeys, now: dt.datetime) -> None:
        """Store the instance's key pair unless one exists (the first writer wins)."""
        ...


class PushSender(Protocol):
    def new_vapid_keys(self) -> VapidKeys:
        """A fresh P-256 key pair for the instance."""
        ...

    async def send(self, message: PushMessage) -> PushResult:
        """Encrypt and POST one message; network failures are a RETRY outcome, never an
        exception."""
        ...


class TokenSealer(Protocol):
    """Authenticated encryption of an access token under the server's secret, so the push
    payload can carry it without the database holding it in the clear."""

    def seal(self, token: str) -> str: ...

    def unseal(self, sealed: str) -> str | None:
        """The token, or None if it was sealed under another secret or tampered with."""
        ...
