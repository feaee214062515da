import datetime as dt

import pytest

from godwit.app import Components
from godwit.domain.accounts import KeyPair, NewLocalAccount, ProfileChanges, ProfileField
from godwit.domain.errors import Invalid
from godwit.domain.ids import new_id
from tests.factories import make_member

KEYS = KeyPair(public_pem="public", private_pem="private")


def new_account(username: str, email: str | None = None, **extra: object) -> NewLocalAccount:
    return NewLocalAccount(
        account_id=new_id(),
        user_id=new_id(),
        username=username,
        email=email or f"{username.lower()}@example.org",
        password_hash="hash-of-" + username,
        keys=KEYS,
        base_url="https://godwit.test",
        created_at=dt.datetime.now(dt.UTC),
        **extra,  # type: ignore[arg-type]
    )


async def create(components: Components, new: NewLocalAccount) -> None:
    async with components.store.write() as tx:
        await tx.accounts.create_local(new)


async def test_create_local_writes_account_and_user(components: Components) -> None:
    new = new_account("Alice", reason="hi", approved=False)
    async with components.store.write() as tx:
        account, user = await tx.accounts.create_local(new)
    assert account.username == "Alice"
    assert account.local
    assert account.uri == "https://godwit.test/users/Alice"
    assert account.url == "https://godwit.test/@Alice"
    assert account.public_key_pem == "public"
    assert user.account_id == account.id
    assert user.approved is False
    async with components.store.read() as tx:
        found = await tx.accounts.find_login("ALICE")
    assert found is not None
    assert found[1] == "hash-of-Alice"


@pytest.mark.parametrize(
    ("second", "field"),
    [(("ALICE", "other@example.org"), "username"), (("bob", "alice@example.org"), "email")],
)
async def test_a_lost_race_is_err_taken_and_writes_nothing(
    components: Components, second: tuple[str, str], field: str
) -> None:
    await create(components, new_account("alice"))
    loser = new_account(*second)
    with pytest.raises(Invalid) as raised:
        await create(components, loser)
    assert raised.value.details == {field: [("ERR_TAKEN", "has already been taken")]}
    async with components.store.read() as tx:
        assert await tx.accounts.get(loser.account_id) is None
        assert len(await tx.accounts.list_users()) == 1


async def test_the_transaction_stays_usable_after_a_lost_race(components: Components) -> None:
    await create(components, new_account("alice"))
    async with components.store.write() as tx:
        with pytest.raises(Invalid):
            await tx.accounts.create_local(new_account("Alice", "x@example.org"))
        await tx.accounts.create_local(new_account("carol"))
    async with components.store.read() as tx:
        assert await tx.accounts.find_local("carol") is not None


async def test_lookups_are_case_insensitive_and_bulk(components: Components) -> None:
    alice = await make_member(components, "Alice")
    bob = await make_member(components, "bob")
    async with components.store.read() as tx:
        assert (await tx.accounts.find_local("aLiCe")).id == alice.account_id  # type: ignore[union-attr]
        many = await tx.accounts.find_local_many(["ALICE", "Bob", "nobody"])
        assert {key: a.id for key, a in many.items()} == {
            "alice": alice.account_id,
            "bob": bob.account_id,
        }
        got = await tx.accounts.get_many([alice.account_id, bob.account_id, 12345])
        assert set(got) == {alice.account_id, bob.account_id}
        assert await tx.accounts.get_many([]) == {}
        assert await tx.accounts.get(12345) is None


async def test_find_by_acct_knows_our_own_domain_from_the_uri(components: Components) -> None:
    alice = await make_member(components, "alice")
    async with components.store.read() as tx:
        assert (await tx.accounts.find_by_acct("alice")).id == alice.account_id  # type: ignore[union-attr]
        own = await tx.accounts.find_by_acct("Alice@GODWIT.test")
        assert own is not None
        assert own.id == alice.account_id
        assert await tx.accounts.find_by_acct("alice@elsewhere.example") is None
        assert await tx.accounts.find_by_acct("@") is None


async def test_adjust_counts_adds_and_never_goes_below_zero(components: Components) -> None:
    alice = await make_member(components, "alice")
    when = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    async with components.store.write() as tx:
        await tx.accounts.adjust_counts(
            alice.account_id, statuses=3, followers=1, last_status_at=when
        )
        await tx.accounts.adjust_counts(alice.account_id, followers=-5, following=2)
    async with components.store.read() as tx:
        account = await tx.accounts.get(alice.account_id)
    assert account is not None
    assert (account.statuses_count, account.followers_count, account.following_count) == (3, 0, 2)
    assert account.last_status_at == when


async def test_profile_and_preferences_round_trip(components: Components) -> None:
    alice = await make_member(components, "alice")
    fields = (ProfileField(name="Web", value="https://a.example", value_html="<a>…</a>"),)
    async with components.store.write() as tx:
        await tx.accounts.update_profile(
            alice.account_id,
            ProfileChanges(
                display_name="Alice A",
                note="<p>hi</p>",
                note_source="hi",
                fields=fields,
                locked=True,
            ),
            dt.datetime.now(dt.UTC),
        )
        await tx.accounts.update_preferences(
            alice.user_id, {"posting:default:visibility": "private"}
        )
    async with components.store.read() as tx:
        account = await tx.accounts.get(alice.account_id)
        user = await tx.accounts.get_user_by_account(alice.account_id)
    assert account is not None
    assert user is not None
    assert (account.display_name, account.note, account.note_source) == (
        "Alice A",
        "<p>hi</p>",
        "hi",
    )
    assert account.fields == fields
    assert account.locked is True
    assert account.bot is False  # untouched
    assert user.preferences == {"posting:default:visibility": "private"}


async def test_search_ranks_exact_match_first_and_respects_discoverable(
    components: Components,
) -> None:
    for name in ("annabel", "ann", "anna_b", "bob", "hidden_ann"):
        await make_member(components, name)
    async with components.store.write() as tx:
        hidden = await tx.accounts.find_local("hidden_ann")
        assert hidden is not None
        await tx.accounts.update_profile(
            hidden.id,
            ProfileChanges(discoverable=False, display_name="Ann Hidden"),
            dt.datetime.now(dt.UTC),
        )
    async with components.store.read() as tx:
        found = [a.username for a in await tx.accounts.search_local("ANN", 10)]
        assert found[0] == "ann"
        assert set(found) == {"ann", "annabel", "anna_b"}
        # "_" is literal, not a LIKE wildcard
        assert [a.username for a in await tx.accounts.search_local("anna_", 10)] == ["anna_b"]
        # an exact username match shows even when the account is not discoverable
        assert [a.username for a in await tx.accounts.search_local("hidden_ann", 10)] == [
            "hidden_ann"
        ]
        assert len(await tx.accounts.search_local("a", 2)) == 2
        assert await tx.accounts.search_local("%", 10) == []


async def test_users_list_and_role(components: Components) -> None:
    alice = await make_member(components, "alice")
    await make_member(components, "bob", role="admin")
    async with components.store.write() as tx:
        await tx.accounts.set_role(alice.user_id, "moderator")
    async with components.store.read() as tx:
        rows = await tx.accounts.list_users()
        by_email = await tx.accounts.find_user_by_email("ALICE@example.test")
    assert {(user.role, account.username) for user, account in rows} == {
        ("moderator", "alice"),
        ("admin", "bob"),
    }
    assert by_email is not None
    assert by_email.id == alice.user_id
