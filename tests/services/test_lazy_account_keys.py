"""Lazy account keys: seeded or signed-up members without a key pair get one on first use,
the same one for every caller (GODWIT_LAZY_ACCOUNT_KEYS, `godwit bench prepare --direct`)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select

from godwit.app import Components
from godwit.config import Settings
from godwit.domain.accounts import KeyPair
from godwit.domain.errors import NotFound
from godwit.domain.seeding import SeedCommunity, SeedFollow, SeedMember, SeedPost
from godwit.storage.schema import accounts
from tests.api.accounts_support import use_fast_hashing

PASSWORD = "a long enough passphrase 42"
NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


class CountingKeys:
    """Wraps the real generator and counts the pairs made."""

    def __init__(self, real: object) -> None:
        self.real = real
        self.made = 0

    async def generate(self) -> KeyPair:
        self.made += 1
        return await self.real.generate()  # type: ignore[attr-defined, no-any-return]


def count_keys(components: Components) -> CountingKeys:
    counting = CountingKeys(components.services.accounts.key_pairs)
    components.services.accounts.key_pairs = counting
    components.services.seeding.key_pairs = counting
    return counting


async def stored_keys(components: Components, account_id: int) -> tuple[str, str | None]:
    query = select(accounts.c.public_key_pem, accounts.c.private_key_pem).where(
        accounts.c.id == account_id
    )
    async with components.database.read() as conn:
        row = (await conn.execute(query)).one()
    return row.public_key_pem, row.private_key_pem


def community(size: int) -> SeedCommunity:
    members = tuple(
        SeedMember(f"lazy{n}", f"lazy{n}@example.org", f"Lazy {n}", "", NOW) for n in range(size)
    )
    return SeedCommunity(
        members=members,
        follows=(SeedFollow(0, 1, NOW + dt.timedelta(seconds=1)),),
        posts=(SeedPost(1, "hello", NOW + dt.timedelta(seconds=2)),),
        reactions=(),
    )


async def test_seeding_with_lazy_keys_makes_them_on_first_use(components: Components) -> None:
    counting = count_keys(components)
    seeded = await components.services.seeding.seed(community(3), PASSWORD, lazy_keys=True)
    assert counting.made == 0
    for account_id in seeded.account_ids:
        assert await stored_keys(components, account_id) == ("", None)

    first, second = seeded.account_ids[:2]
    service = components.services.accounts
    keys = await service.key_pair(first)
    assert keys.public_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert keys.private_pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert await stored_keys(components, first) == (keys.public_pem, keys.private_pem)
    assert await service.key_pair(first) == keys  # stored: not made again
    assert counting.made == 1
    assert await stored_keys(components, second) == ("", None)  # the others wait their turn


async def test_concurrent_first_uses_all_get_the_stored_pair(components: Components) -> None:
    seeded = await components.services.seeding.seed(community(2), PASSWORD, lazy_keys=True)
    account_id = seeded.account_ids[0]
    service = components.services.accounts
    pairs = await asyncio.gather(*(service.key_pair(account_id) for _ in range(3)))
    stored = await stored_keys(components, account_id)
    assert {(pair.public_pem, pair.private_pem) for pair in pairs} == {stored}


async def test_eager_seeding_and_sign_up_still_make_keys_at_once(components: Components) -> None:
    use_fast_hashing(components)
    counting = count_keys(components)
    seeded = await components.services.seeding.seed(community(2), PASSWORD)
    account, _user = await components.services.accounts.create_user(
        "eager", "eager@example.org", PASSWORD
    )
    assert counting.made == 3
    for account_id in (*seeded.account_ids, account.id):
        public, private = await stored_keys(components, account_id)
        assert public.startswith("-----BEGIN PUBLIC KEY-----")
        assert private
        assert (await components.services.accounts.key_pair(account_id)).public_pem == public
    assert counting.made == 3


async def test_the_setting_makes_sign_ups_and_seeding_lazy(settings: Settings) -> None:
    components = Components(settings.replace(lazy_account_keys=True))
    await components.start()
    try:
        use_fast_hashing(components)
        counting = count_keys(components)
        account, _user = await components.services.accounts.create_user(
            "lazy", "lazy@example.org", PASSWORD
        )
        seeded = await components.services.seeding.seed(community(2), PASSWORD)
        assert counting.made == 0
        for account_id in (account.id, *seeded.account_ids):
            assert await stored_keys(components, account_id) == ("", None)
        keys = await components.services.accounts.key_pair(account.id)
        assert await stored_keys(components, account.id) == (keys.public_pem, keys.private_pem)
    finally:
        await components.stop()


async def test_an_unknown_account_has_no_keys(components: Components) -> None:
    with pytest.raises(NotFound):
        await components.services.accounts.key_pair(424242)
