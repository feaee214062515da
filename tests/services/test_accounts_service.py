"""AccountService: password login, operator-created users, roles."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher as Argon2
from argon2 import Type

from godwit.app import Components
from godwit.domain.errors import Invalid, NotFound
from tests.api.accounts_support import use_fast_hashing
from tests.factories import make_member

PASSWORD = "correct horse battery staple"


async def test_authenticate_by_email_or_username(components: Components) -> None:
    use_fast_hashing(components)
    service = components.services.accounts
    account, user = await service.create_user("Alice", "Alice@Example.org", PASSWORD)
    assert account.username == "Alice"
    assert user.email == "alice@example.org"
    for login in ("alice@example.org", "ALICE@EXAMPLE.ORG", "alice", " Alice "):
        found = await service.authenticate_password(login, PASSWORD)
        assert found is not None, login
        assert found.id == user.id
    assert await service.authenticate_password("alice", PASSWORD + "!") is None
    assert await service.authenticate_password("nobody", PASSWORD) is None
    assert await service.authenticate_password("nobody@example.org", PASSWORD) is None
    assert await service.authenticate_password("", PASSWORD) is None
    assert await service.authenticate_password("alice", "") is None


async def test_unknown_logins_still_cost_a_verification(components: Components) -> None:
    use_fast_hashing(components)
    service = components.services.accounts
    calls: list[str] = []
    real_verify = service.hasher.verify

    async def counting_verify(password_hash: str, password: str) -> bool:
        calls.append(password_hash)
        return await real_verify(password_hash, password)

    service.hasher.verify = counting_verify  # type: ignore[method-assign]
    assert await service.authenticate_password("ghost", PASSWORD) is None
    assert len(calls) == 1
    assert calls[0].startswith("$argon2id$")


async def test_an_unusable_stored_hash_never_matches(components: Components) -> None:
    use_fast_hashing(components)
    await make_member(components, "alice", password_hash="not-a-usable-hash")
    service = components.services.accounts
    assert await service.authenticate_password("alice", "not-a-usable-hash") is None


async def test_weak_hashes_are_upgraded_on_login(components: Components) -> None:
    weak = Argon2(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID).hash(PASSWORD)
    member = await make_member(components, "alice", password_hash=weak)
    user = await components.services.accounts.authenticate_password("alice", PASSWORD)
    assert user is not None
    async with components.store.read() as tx:
        found = await tx.accounts.find_login("alice")
    assert found is not None
    assert found[0].id == member.user_id
    assert found[1] != weak
    assert "m=65536,t=3,p=4" in found[1]


async def test_authentication_does_not_check_approval(components: Components) -> None:
    """The caller decides with user.can_sign_in (the OAuth page shows a pending message)."""
    use_fast_hashing(components)
    service = components.services.accounts
    _account, user = await service.create_user("alice", "alice@example.org", PASSWORD)
    async with components.database.write() as conn:
        from sqlalchemy import update

        from godwit.storage.schema import users

        await conn.execute(update(users).where(users.c.id == user.id).values(approved=False))
    found = await service.authenticate_password("alice", PASSWORD)
    assert found is not None
    assert found.can_sign_in is False


async def test_create_user_validates_like_sign_up(components: Components) -> None:
    use_fast_hashing(components)
    service = components.services.accounts
    await service.create_user("alice", "alice@example.org", PASSWORD)
    with pytest.raises(Invalid) as raised:
        await service.create_user("ALICE", "bad", "short")
    assert set(raised.value.details) == {"username", "email", "password"}
    with pytest.raises(Invalid):
        await service.create_user("zed", "zed@example.org", PASSWORD, role="emperor")


async def test_set_role_and_list_users(components: Components) -> None:
    use_fast_hashing(components)
    service = components.services.accounts
    await service.create_user("alice", "alice@example.org", PASSWORD, role="admin")
    await service.create_user("bob", "bob@example.org", PASSWORD)
    changed = await service.set_role("BOB", "moderator")
    assert changed.role == "moderator"
    listed = {account.username: user.role for user, account in await service.list_users()}
    assert listed == {"alice": "admin", "bob": "moderator"}
    # In sign-up order, as many as asked (bench --direct asks for all of them).
    assert [account.username for _user, account in await service.list_users(limit=1)] == ["alice"]
    with pytest.raises(NotFound):
        await service.set_role("nobody", "admin")
    with pytest.raises(Invalid):
        await service.set_role("bob", "emperor")
