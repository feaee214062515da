"""Rows the notification tests need, written directly so they do not depend on how the
statuses and graph slices create them (those have their own tests)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.services.notifying import notify
from godwit.storage.schema import accounts, blocks, follows, mentions, mutes, statuses
from tests.factories import TEST_PUBLIC_KEY


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def make_remote_account(components: Components, username: str, domain: str) -> int:
    account_id = new_id()
    async with components.database.write() as conn:
        await conn.execute(
            insert(accounts).values(
                id=account_id,
                username=username,
                username_key=username.casefold(),
                domain=domain,
                fields=[],
                uri=f"https://{domain}/users/{username}",
                url=f"https://{domain}/@{username}",
                public_key_pem=TEST_PUBLIC_KEY,
                created_at=now(),
                updated_at=now(),
            )
        )
    return account_id


async def make_status(
    components: Components,
    author_id: int,
    *,
    visibility: str = "public",
    mentioned: tuple[int, ...] = (),
    in_reply_to_account_id: int | None = None,
) -> int:
    status_id = new_id()
    base = components.settings.base_url
    async with components.database.write() as conn:
        await conn.execute(
            insert(statuses).values(
                id=status_id,
                account_id=author_id,
                uri=f"{base}/statuses/{status_id}",
                url=f"{base}/statuses/{status_id}",
                local=True,
                text="hello",
                content="<p>hello</p>",
                visibility=visibility,
                in_reply_to_account_id=in_reply_to_account_id,
                created_at=now(),
            )
        )
        for account_id in mentioned:
            await conn.execute(insert(mentions).values(status_id=status_id, account_id=account_id))
    return status_id


async def follow(
    components: Components, follower_id: int, target_id: int, *, notify: bool = False
) -> None:
    async with components.database.write() as conn:
        await conn.execute(
            insert(follows).values(
                id=new_id(),
                account_id=follower_id,
                target_account_id=target_id,
                notify=notify,
                created_at=now(),
            )
        )


async def block(components: Components, blocker_id: int, target_id: int) -> None:
    async with components.database.write() as conn:
        await conn.execute(
            insert(blocks).values(
                id=new_id(), account_id=blocker_id, target_account_id=target_id, created_at=now()
            )
        )


async def mute(
    components: Components,
    muter_id: int,
    target_id: int,
    *,
    hide_notifications: bool = True,
    expires_at: dt.datetime | None = None,
) -> None:
    async with components.database.write() as conn:
        await conn.execute(
            insert(mutes).values(
                id=new_id(),
                account_id=muter_id,
                target_account_id=target_id,
                hide_notifications=hide_notifications,
                expires_at=expires_at,
                created_at=now(),
            )
        )


async def notify_now(
    components: Components,
    *,
    recipient_id: int,
    from_account_id: int,
    type: str,
    status_id: int | None = None,
) -> None:
    async with components.store.write() as tx:
        await notify(
            tx,
            recipient_id=recipient_id,
            from_account_id=from_account_id,
            type=type,
            status_id=status_id,
        )
