"""The push repository: one subscription per token, live-only lookups, first VAPID key wins."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from godwit.app import Components
from godwit.domain.oauth import Credentials
from godwit.domain.push import NewSubscription, SubscriptionData, VapidKeys
from godwit.domain.secrets import token_hash
from godwit.storage.schema import accounts, users
from tests.factories import Member, make_member
from tests.support.push_endpoint import ClientKeys

NOW = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)


def _new(endpoint: str = "https://push.example.net/a") -> NewSubscription:
    keys = ClientKeys.generate()
    return NewSubscription(
        endpoint=endpoint,
        p256dh=keys.p256dh,
        auth=keys.auth_b64,
        standard=True,
        data=SubscriptionData(alerts=frozenset({"mention", "follow"}), policy="follower"),
    )


async def _credentials(components: Components, member: Member) -> Credentials:
    async with components.store.read() as tx:
        found = await tx.oauth.credentials_for_token(token_hash(member.token))
    assert found is not None
    return found


async def test_replace_lookups_and_liveness(components: Components) -> None:
    alice = await make_member(components, "alice")
    credentials = await _credentials(components, alice)
    async with components.store.write() as tx:
        first = await tx.push.replace_for_token(
            token_id=credentials.token_id, user_id=alice.user_id, account_id=alice.account_id,
            new=_new(), sealed_token="sealed", now=NOW,
        )  # fmt: skip
        second = await tx.push.replace_for_token(
            token_id=credentials.token_id, user_id=alice.user_id, account_id=alice.account_id,
            new=_new("https://push.example.net/b"), sealed_token="sealed", now=NOW,
        )  # fmt: skip
    assert second.id != first.id
    assert second.alerts == frozenset({"mention", "follow"})
    assert (second.policy, second.standard, second.sealed_token) == ("follower", True, "sealed")
    async with components.store.read() as tx:
        assert [s.id for s in await tx.push.for_recipient(alice.account_id)] == [second.id]
        assert await tx.push.get_live(first.id) is None
        assert (await tx.push.get_live(second.id)) == second

    # A disabled member or a suspended account gets nothing pushed.
    for change in (update(users).values(disabled=True), update(accounts).values(suspended_at=NOW)):
        async with components.database.write() as conn:
            await conn.execute(change)
        async with components.store.read() as tx:
            assert await tx.push.for_recipient(alice.account_id) == []
            assert await tx.push.get_live(second.id) is None
        async with components.database.write() as conn:
            await conn.execute(update(users).values(disabled=False))
            await conn.execute(update(accounts).values(suspended_at=None))
        async with components.store.read() as tx:
            assert await tx.push.get_live(second.id) == second

    async with components.store.write() as tx:
        updated = await tx.push.update_data(credentials.token_id, SubscriptionData())
        assert updated is not None
        assert (updated.alerts, updated.policy) == (frozenset(), "all")
        await tx.oauth.revoke_token(credentials.token_id, NOW)
    async with components.store.read() as tx:
        assert await tx.push.for_token(credentials.token_id) is None


async def test_the_first_vapid_key_wins(components: Components) -> None:
    async with components.store.write() as tx:
        assert await tx.push.vapid_keys() is None
        await tx.push.add_vapid_keys(VapidKeys(public_key="one", private_key="p1"), NOW)
        await tx.push.add_vapid_keys(VapidKeys(public_key="two", private_key="p2"), NOW)
    async with components.store.read() as tx:
        assert await tx.push.vapid_keys() == VapidKeys(public_key="one", private_key="p1")


async def test_no_subscription_for_a_token_without_one(components: Components) -> None:
    alice = await make_member(components, "alice")
    credentials = await _credentials(components, alice)
    async with components.store.write() as tx:
        assert await tx.push.update_data(credentials.token_id, SubscriptionData()) is None
        assert await tx.push.for_token(credentials.token_id) is None
        await tx.push.delete_for_token(credentials.token_id)  # no error
