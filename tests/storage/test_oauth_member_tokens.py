"""A member's tokens in the OAuth repository, on SQLite and PostgreSQL: the authorised apps
listing and revoking by member, app and all-but-one (with their push subscriptions)."""

from __future__ import annotations

import datetime as dt

from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.domain.oauth import OAuthApp
from godwit.domain.push import NewSubscription, SubscriptionData
from godwit.domain.secrets import token_hash
from tests.factories import Member, make_member
from tests.support.push_endpoint import ClientKeys

T0 = dt.datetime(2020, 3, 1, 12, 0, tzinfo=dt.UTC)  # before the factory's tokens


def _app(name: str) -> OAuthApp:
    return OAuthApp(
        id=new_id(),
        name=name,
        website="https://apps.example",
        redirect_uris=("https://apps.example/cb",),
        scopes=frozenset({"read", "write", "follow"}),
        client_id=f"client-{new_id()}",
        secret_hash=token_hash(f"secret-{name}"),
    )


async def _token(
    components: Components, app: OAuthApp, member: Member, scopes: str, at: dt.datetime
) -> int:
    token_id = new_id()
    async with components.store.write() as tx:
        await tx.oauth.create_token(
            token_id=token_id,
            token_hash=token_hash(f"token-{token_id}"),
            app_id=app.id,
            user_id=member.user_id,
            scopes=scopes,
            created_at=at,
        )
    return token_id


async def _live(components: Components, token_id: int) -> bool:
    async with components.store.read() as tx:
        stored = await tx.oauth.find_token(token_hash(f"token-{token_id}"))
    assert stored is not None
    return not stored.revoked


async def test_authorised_apps_fold_a_members_live_tokens_per_app(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    reader, writer = _app("Reader"), _app("Writer")
    async with components.store.write() as tx:
        await tx.oauth.create_app(reader, created_at=T0)
        await tx.oauth.create_app(writer, created_at=T0)
    await _token(components, reader, alice, "read", T0)
    await _token(components, reader, alice, "read follow", T0 + dt.timedelta(days=2))
    revoked = await _token(components, writer, alice, "write", T0 + dt.timedelta(days=5))
    await _token(components, writer, bob, "write", T0)
    async with components.store.write() as tx:
        await tx.oauth.revoke_token(revoked, T0 + dt.timedelta(days=6))
        listed = await tx.oauth.authorised_apps(alice.user_id)

    # The factory's own app (its token made now) is the most recent; Writer has no live token.
    assert [app.name for app in listed] == ["test app for alice", "Reader"]
    found = listed[1]
    assert found.app_id == reader.id
    assert found.website == "https://apps.example"
    assert found.scopes == frozenset({"read", "follow"})
    assert found.tokens == 2
    assert found.first_authorised_at == T0
    assert found.last_authorised_at == T0 + dt.timedelta(days=2)


async def test_revoking_a_members_tokens_by_app_and_all_but_one(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    reader, writer = _app("Reader"), _app("Writer")
    async with components.store.write() as tx:
        await tx.oauth.create_app(reader, created_at=T0)
        await tx.oauth.create_app(writer, created_at=T0)
    alice_reader = await _token(components, reader, alice, "read", T0)
    alice_writer = [await _token(components, writer, alice, "write", T0) for _ in range(2)]
    bob_reader = await _token(components, reader, bob, "read", T0)
    async with components.store.write() as tx:
        await tx.push.replace_for_token(
            token_id=alice_reader, user_id=alice.user_id, account_id=alice.account_id,
            new=NewSubscription(
                endpoint="https://push.example.net/a", p256dh=ClientKeys.generate().p256dh,
                auth=ClientKeys.generate().auth_b64, standard=True, data=SubscriptionData(),
            ),
            sealed_token="sealed", now=T0,
        )  # fmt: skip

    async with components.store.write() as tx:
        assert await tx.oauth.revoke_user_tokens(alice.user_id, T0, app_id=reader.id) == 1
        assert await tx.oauth.revoke_user_tokens(alice.user_id, T0, app_id=reader.id) == 0
    assert not await _live(components, alice_reader)
    assert await _live(components, bob_reader)  # another member's grant of the same app
    assert all([await _live(components, token_id) for token_id in alice_writer])
    async with components.store.read() as tx:
        assert await tx.push.for_token(alice_reader) is None

    keep = alice_writer[0]
    async with components.store.write() as tx:
        # Every other live token: the other Writer token and the factory's app token.
        assert await tx.oauth.revoke_user_tokens(alice.user_id, T0, keep_token_id=keep) == 2
        assert await tx.oauth.credentials_for_token(token_hash(alice.token)) is None
    assert await _live(components, keep)
    assert not await _live(components, alice_writer[1])
    assert await _live(components, bob_reader)
