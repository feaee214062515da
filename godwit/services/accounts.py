"""Account use cases: sign-up, key pairs, profiles, lookup and search, user admin.

Password login and change live in ``passwords`` (the base class) to keep files short."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from godwit.config import Settings
from godwit.domain.accounts import (
    PREF_LANGUAGE,
    PREF_PRIVACY,
    PREF_SENSITIVE,
    ROLES,
    Account,
    KeyPair,
    NewLocalAccount,
    ProfileChanges,
    Role,
    User,
    email_problems,
    normalise_email,
    password_problems,
    username_problems,
)
from godwit.domain.errors import Forbidden, Invalid, NotFound
from godwit.domain.ids import new_id
from godwit.domain.oauth import IssuedToken, scope_string
from godwit.domain.secrets import new_token, token_hash
from godwit.domain.text import MentionTarget, parse
from godwit.ports.security import KeyPairGenerator, PasswordHasher
from godwit.ports.store import Store, Transaction
from godwit.services.login_throttle import LoginThrottle
from godwit.services.media import release_replaced_profile_images
from godwit.services.passwords import AccountPasswords
from godwit.services.profiles import (
    Problems,
    ProfileUpdate,
    build_fields,
    render_note,
    update_problems,
    validation_failed,
)

TAKEN = ("ERR_TAKEN", "has already been taken")
LOCALE_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")
MAX_REASON = 1000
# Search looks at no more than this many ranked candidates, so offset + limit is bounded.
MAX_SEARCH_WINDOW = 200


@dataclass(frozen=True, slots=True)
class SignUp:
    """A sign-up request as POST /api/v1/accounts received it."""

    username: str
    email: str
    password: str
    agreement: bool
    locale: str = "en"
    reason: str = ""
    ip: str = ""


@dataclass(frozen=True, slots=True)
class Registered:
    account: Account
    user: User
    token: IssuedToken


@dataclass(frozen=True, slots=True)
class OwnAccount:
    """The signed-in member's own view of their account (CredentialAccount)."""

    account: Account
    user: User
    follow_requests_count: int


class AccountService(AccountPasswords):
    def __init__(
        self,
        store: Store,
        settings: Settings,
        hasher: PasswordHasher,
        key_pairs: KeyPairGenerator,
        *,
        password_throttle: LoginThrottle | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.hasher = hasher
        self.key_pairs = key_pairs
        # Wrong current passwords on a password change, counted per member and per address.
        self.password_throttle = password_throttle or LoginThrottle()
        self._dummy_hash: str | None = None

    # ----- key pairs -----------------------------------------------------------------------

    async def _new_key_pair(self) -> KeyPair:
        """A new account's key pair: made now, or left empty for `key_pair` to make later."""
        if self.settings.lazy_account_keys:
            return KeyPair(public_pem="", private_pem="")
        return await self.key_pairs.generate()

    async def key_pair(self, account_id: int) -> KeyPair:
        """A local account's key pair, made and stored on first use when it has none yet
        (GODWIT_LAZY_ACCOUNT_KEYS, or seeded by `godwit bench prepare --direct`).

        Whatever federates as the account must get its keys here, never from the row: of
        concurrent first uses (in any process) one pair is stored and all return it.
        """
        async with self.store.read() as tx:
            keys = await tx.accounts.key_pair(account_id)
        if keys is None:
            raise NotFound("Record not found")
        if keys.public_pem:
            return keys
        made = await self.key_pairs.generate()  # on the key pool, outside any transaction
        async with self.store.write() as tx:
            if await tx.accounts.set_key_pair_if_missing(account_id, made):
                return made
            stored = await tx.accounts.key_pair(account_id)  # another caller won the race
        assert stored is not None
        assert stored.public_pem
        return stored

    # ----- sign-up -------------------------------------------------------------------------

    async def registration_mode(self, tx: Transaction) -> str:
        mode = await tx.instance.get_setting("registration_mode")
        return str(mode or self.settings.registration_mode)

    async def register(self, request: SignUp, *, app_id: int, scopes: frozenset[str]) -> Registered:
        """Create the account, its user and a token for the calling app, in one write."""
        async with self.store.read() as tx:
            mode = await self.registration_mode(tx)
            if mode == "closed":
                raise Forbidden("Registrations are closed on this server")
            problems = _sign_up_problems(request)
            await _add_taken_problems(tx, request, problems)
        if problems:
            raise validation_failed(problems)
        # The slow parts run on the worker pools, outside any transaction.
        password_hash, keys = await asyncio.gather(
            self.hasher.hash(request.password), self._new_key_pair()
        )
        now = dt.datetime.now(dt.UTC)
        new = NewLocalAccount(
            account_id=new_id(),
            user_id=new_id(),
            username=request.username,
            email=normalise_email(request.email),
            password_hash=password_hash,
            keys=keys,
            base_url=self.settings.base_url,
            created_at=now,
            approved=mode != "approval",
            locale=request.locale,
            reason=request.reason,
            signup_ip=request.ip,
        )
        async with self.store.write() as tx:
            # Checked again inside the write: another sign-up may have won meanwhile.
            lost_race: Problems = {}
            await _add_taken_problems(tx, request, lost_race)
            if lost_race:
                raise validation_failed(lost_race)
            account, user = await tx.accounts.create_local(new)
            token = IssuedToken(access_token=new_token(), scopes=scopes, created_at=now)
            await tx.oauth.create_token(
                token_id=new_id(),
                token_hash=token_hash(token.access_token),
                app_id=app_id,
                user_id=user.id,
                scopes=scope_string(scopes),
                created_at=now,
            )
        return Registered(account=account, user=user, token=token)

    async def create_user(
        self, username: str, email: str, password: str, role: Role = "member"
    ) -> tuple[Account, User]:
        """An approved member made by an operator (the CLI): no agreement, no token."""
        if role not in ROLES:
            raise Invalid(f"Unknown role {role!r}", {"role": [("ERR_INCLUSION", "is unknown")]})
        request = SignUp(username=username, email=email, password=password, agreement=True)
        problems = _sign_up_problems(request)
        async with self.store.read() as tx:
            await _add_taken_problems(tx, request, problems)
        if problems:
            raise validation_failed(problems)
        password_hash, keys = await asyncio.gather(self.hasher.hash(password), self._new_key_pair())
        new = NewLocalAccount(
            account_id=new_id(),
            user_id=new_id(),
            username=username,
            email=normalise_email(email),
            password_hash=password_hash,
            keys=keys,
            base_url=self.settings.base_url,
            created_at=dt.datetime.now(dt.UTC),
            role=role,
        )
        async with self.store.write() as tx:
            return await tx.accounts.create_local(new)

    # ----- reading -------------------------------------------------------------------------

    async def get(self, account_id: int) -> Account:
        async with self.store.read() as tx:
            account = await tx.accounts.get(account_id)
        if account is None:
            raise NotFound()
        return account

    async def get_many(self, account_ids: Sequence[int]) -> list[Account]:
        """The known accounts among ``account_ids``, in the order asked (unknown ones
        skipped; suspended ones included, shown as suspended); one query."""
        wanted = list(dict.fromkeys(account_ids))
        async with self.store.read() as tx:
            found = await tx.accounts.get_many(wanted)
        return [found[account_id] for account_id in wanted if account_id in found]

    async def lookup(self, acct: str) -> Account:
        """By ``user``, ``@user``, ``user@ourdomain`` or ``user@remote``."""
        acct = acct.strip().removeprefix("@")
        own_suffix = "@" + self.settings.domain.lower()
        if acct.lower().endswith(own_suffix):
            acct = acct[: -len(own_suffix)]
        if not acct or len(acct) > 400:
            raise NotFound()
        async with self.store.read() as tx:
            account = await tx.accounts.find_by_acct(acct)
        if account is None:
            raise NotFound()
        return account

    async def credentials(self, account_id: int) -> OwnAccount:
        async with self.store.read() as tx:
            return await _credentials(tx, account_id)

    async def search(
        self,
        query: str,
        *,
        limit: int,
        offset: int = 0,
        viewer_id: int | None = None,
        following: bool = False,
    ) -> list[Account]:
        """Local accounts by name prefix; hides accounts blocked either way from the viewer."""
        text = query.strip().removeprefix("@")
        name, _, domain = text.partition("@")
        if not name or (domain and domain.lower() != self.settings.domain.lower()):
            return []
        if offset >= MAX_SEARCH_WINDOW:
            return []
        async with self.store.read() as tx:
            candidates = await tx.accounts.search_local(name, MAX_SEARCH_WINDOW)
            if viewer_id is not None and candidates:
                ids = [account.id for account in candidates]
                hidden = await tx.graph.blocked_either_way(viewer_id, ids)
                candidates = [account for account in candidates if account.id not in hidden]
                if following:
                    followed = await tx.graph.following_ids(viewer_id, ids)
                    candidates = [account for account in candidates if account.id in followed]
        return candidates[offset : offset + limit]

    # ----- profile -------------------------------------------------------------------------

    async def update_credentials(self, account_id: int, update: ProfileUpdate) -> OwnAccount:
        problems = update_problems(update)
        if problems:
            raise validation_failed(problems)
        base_url = self.settings.base_url
        async with self.store.write() as tx:
            user = await tx.accounts.get_user_by_account(account_id)
            if user is None:
                raise NotFound()
            note_html = None
            if update.note is not None:
                mentions = await self._local_mentions(tx, update.note)
                note_html = render_note(update.note, mentions, base_url)
            changes = ProfileChanges(
                display_name=update.display_name.strip()
                if update.display_name
                else update.display_name,
                note=note_html,
                note_source=update.note,
                fields=build_fields(update.fields, base_url) if update.fields is not None else None,
                locked=update.locked,
                bot=update.bot,
                discoverable=update.discoverable,
                indexable=update.indexable,
                avatar_path=update.avatar_url,
                header_path=update.header_url,
            )
            before = await tx.accounts.get(account_id)
            await tx.accounts.update_profile(account_id, changes, dt.datetime.now(dt.UTC))
            if before is not None:  # the replaced avatar's files go after the commit
                await release_replaced_profile_images(
                    tx, before, update.avatar_url, update.header_url
                )
            preferences = _updated_preferences(user.preferences, update)
            if preferences != user.preferences:
                await tx.accounts.update_preferences(user.id, preferences)
            return await _credentials(tx, account_id)

    async def _local_mentions(self, tx: Transaction, text: str) -> dict[str, MentionTarget]:
        """Mentions in a bio that name local accounts, made into links."""
        own = self.settings.domain.lower()
        wanted: dict[str, str] = {}
        for acct in parse(text).mentions[:20]:
            name, _, domain = acct.partition("@")
            if not domain or domain.lower() == own:
                wanted[acct.casefold()] = name
        if not wanted:
            return {}
        found = await tx.accounts.find_local_many(list(wanted.values()))
        return {
            written: MentionTarget(acct=found[name.casefold()].acct, url=found[name.casefold()].url)
            for written, name in wanted.items()
            if name.casefold() in found
        }

    # ----- administration ------------------------------------------------------------------

    async def list_users(
        self, limit: int = 1000, after_id: int | None = None
    ) -> list[tuple[User, Account]]:
        """Users in sign-up order with their accounts: ``limit`` of them after the user id
        ``after_id`` (a page; the last user's id is the next page's cursor)."""
        async with self.store.read() as tx:
            return await tx.accounts.list_users(limit, after_id)

    async def set_role(self, username: str, role: Role) -> User:
        if role not in ROLES:
            raise Invalid(f"Unknown role {role!r}", {"role": [("ERR_INCLUSION", "is unknown")]})
        async with self.store.write() as tx:
            account = await tx.accounts.find_local(username)
            user = await tx.accounts.get_user_by_account(account.id) if account else None
            if user is None:
                raise NotFound(f"No local user named {username}")
            await tx.accounts.set_role(user.id, role)
        return replace(user, role=role)


def _sign_up_problems(request: SignUp) -> Problems:
    problems: Problems = {}
    for name, found in (
        ("username", username_problems(request.username)),
        ("email", email_problems(request.email.strip())),
        ("password", password_problems(request.password)),
    ):
        if found:
            problems[name] = found
    if not request.agreement:
        problems["agreement"] = [("ERR_ACCEPTED", "must be accepted")]
    if not LOCALE_RE.fullmatch(request.locale):
        problems["locale"] = [("ERR_INCLUSION", "is not included in the list")]
    if len(request.reason) > MAX_REASON:
        problems["reason"] = [("ERR_TOO_LONG", f"is too long (maximum is {MAX_REASON} characters)")]
    return problems


async def _add_taken_problems(tx: Transaction, request: SignUp, problems: Problems) -> None:
    if "username" not in problems and await tx.accounts.username_taken(request.username):
        problems["username"] = [TAKEN]
    if "email" not in problems and await tx.accounts.email_taken(request.email):
        problems["email"] = [TAKEN]


async def _credentials(tx: Transaction, account_id: int) -> OwnAccount:
    account = await tx.accounts.get(account_id)
    user = await tx.accounts.get_user_by_account(account_id)
    if account is None or user is None:
        raise NotFound()
    requests = await tx.accounts.pending_follow_requests(account_id)
    return OwnAccount(account=account, user=user, follow_requests_count=requests)


def _updated_preferences(current: dict[str, Any], update: ProfileUpdate) -> dict[str, Any]:
    preferences = dict(current)
    if update.privacy is not None:
        preferences[PREF_PRIVACY] = update.privacy
    if update.sensitive is not None:
        preferences[PREF_SENSITIVE] = update.sensitive
    if update.language is not None:
        preferences[PREF_LANGUAGE] = update.language or None
    return preferences
