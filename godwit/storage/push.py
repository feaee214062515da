"""SQL repository for Web Push subscriptions and the instance's VAPID key pair."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.ids import new_id
from godwit.domain.push import (
    ALERT_TYPES,
    NewSubscription,
    PushSubscription,
    SubscriptionData,
    VapidKeys,
)
from godwit.storage.schema import accounts, oauth_tokens, push_subscriptions, server_keys, users

S = push_subscriptions
VAPID = "vapid"


def _alerts(value: Any) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(item for item in value if item in ALERT_TYPES)


def _row_to_subscription(row: Any) -> PushSubscription:
    return PushSubscription(
        id=row.id,
        token_id=row.token_id,
        user_id=row.user_id,
        account_id=row.account_id,
        endpoint=row.endpoint,
        p256dh=row.key_p256dh,
        auth=row.key_auth,
        standard=bool(row.standard),
        alerts=_alerts(row.alerts),
        policy=row.policy,
        created_at=row.created_at,
        sealed_token=row.sealed_token,
    )


def _stored_alerts(data: SubscriptionData) -> list[str]:
    return [name for name in ALERT_TYPES if name in data.alerts]


def _live() -> Any:
    """Subscriptions whose token is live and whose member may sign in."""
    return (
        select(S)
        .join(oauth_tokens, oauth_tokens.c.id == S.c.token_id)
        .join(users, users.c.id == S.c.user_id)
        .join(accounts, accounts.c.id == S.c.account_id)
        .where(
            oauth_tokens.c.revoked_at.is_(None),
            users.c.approved.is_(True),
            users.c.disabled.is_(False),
            accounts.c.suspended_at.is_(None),
        )
    )


class SqlPush:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    def _dialect(self) -> Any:
        return sqlite if self.conn.dialect.name == "sqlite" else postgresql

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
        values = {
            "id": new_id(),
            "user_id": user_id,
            "account_id": account_id,
            "endpoint": new.endpoint,
            "key_p256dh": new.p256dh,
            "key_auth": new.auth,
            "standard": new.standard,
            "alerts": _stored_alerts(new.data),
            "policy": new.data.policy,
            "sealed_token": sealed_token,
            "created_at": now,
            "updated_at": now,
        }
        upsert = self._dialect().insert(S).values(token_id=token_id, **values)
        # One statement, so two concurrent subscribes with one token cannot both insert.
        upsert = upsert.on_conflict_do_update(index_elements=[S.c.token_id], set_=values)
        await self.conn.execute(upsert)
        found = await self.for_token(token_id)
        assert found is not None
        return found

    async def for_token(self, token_id: int) -> PushSubscription | None:
        row = (await self.conn.execute(select(S).where(S.c.token_id == token_id))).first()
        return _row_to_subscription(row) if row is not None else None

    async def update_data(self, token_id: int, data: SubscriptionData) -> PushSubscription | None:
        await self.conn.execute(
            update(S)
            .where(S.c.token_id == token_id)
            .values(
                alerts=_stored_alerts(data),
                policy=data.policy,
                updated_at=dt.datetime.now(dt.UTC),
            )
        )
        return await self.for_token(token_id)

    async def delete_for_token(self, token_id: int) -> None:
        await self.conn.execute(delete(S).where(S.c.token_id == token_id))

    async def delete(self, subscription_id: int) -> None:
        await self.conn.execute(delete(S).where(S.c.id == subscription_id))

    async def get_live(self, subscription_id: int) -> PushSubscription | None:
        row = (await self.conn.execute(_live().where(S.c.id == subscription_id))).first()
        return _row_to_subscription(row) if row is not None else None

    async def for_recipient(self, account_id: int) -> list[PushSubscription]:
        rows = await self.conn.execute(_live().where(S.c.account_id == account_id))
        return [_row_to_subscription(row) for row in rows]

    async def vapid_keys(self) -> VapidKeys | None:
        query = select(server_keys.c.public_key, server_keys.c.private_key).where(
            server_keys.c.name == VAPID
        )
        row = (await self.conn.execute(query)).first()
        if row is None:
            return None
        return VapidKeys(public_key=row.public_key, private_key=row.private_key)

    async def add_vapid_keys(self, keys: VapidKeys, now: dt.datetime) -> None:
        insert = (
            self._dialect()
            .insert(server_keys)
            .values(
                name=VAPID,
                public_key=keys.public_key,
                private_key=keys.private_key,
                created_at=now,
            )
        )
        await self.conn.execute(insert.on_conflict_do_nothing(index_elements=[server_keys.c.name]))
