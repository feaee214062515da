"""SQL repository for accounts and the users (logins) behind local accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, case, func, insert, literal, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from godwit.domain.accounts import (
    Account,
    KeyPair,
    NewLocalAccount,
    ProfileChanges,
    ProfileField,
    Role,
    User,
    local_account_urls,
    normalise_email,
    username_key,
)
from godwit.domain.errors import Invalid
from godwit.storage.schema import accounts, follow_requests, users

TAKEN = ("ERR_TAKEN", "has already been taken")


def _fields_from_json(raw: Any) -> tuple[ProfileField, ...]:
    result = []
    for item in raw or []:
        verified = item.get("verified_at")
        result.append(
            ProfileField(
                name=str(item.get("name", "")),
                value=str(item.get("value", "")),
                value_html=str(item.get("value_html", "")),
                verified_at=dt.datetime.fromisoformat(verified) if verified else None,
            )
        )
    return tuple(result)


def _fields_to_json(fields: Sequence[ProfileField]) -> list[dict[str, Any]]:
    return [
        {
            "name": f.name,
            "value": f.value,
            "value_html": f.value_html,
            "verified_at": f.verified_at.isoformat() if f.verified_at else None,
        }
        for f in fields
    ]


def _account(row: Row[Any] | Any) -> Account:
    return Account(
        id=row.id,
        username=row.username,
        domain=row.domain,
        display_name=row.display_name,
        note=row.note,
        note_source=row.note_source,
        uri=row.uri,
        url=row.url,
        locked=bool(row.locked),
        bot=bool(row.bot),
        discoverable=bool(row.discoverable),
        indexable=bool(row.indexable),
        created_at=row.created_at,
        statuses_count=row.statuses_count,
        followers_count=row.followers_count,
        following_count=row.following_count,
        last_status_at=row.last_status_at,
        fields=_fields_from_json(row.fields),
        avatar_path=row.avatar_path,
        header_path=row.header_path,
        suspended=row.suspended_at is not None,
        silenced=row.silenced_at is not None,
        sensitized=row.sensitized_at is not None,
        memorial=bool(row.memorial),
        moved_to_account_id=row.moved_to_account_id,
        inbox_url=row.inbox_url,
        public_key_pem=row.public_key_pem,
    )


def _user(row: Row[Any] | Any) -> User:
    return User(
        id=row.id,
        account_id=row.account_id,
        email=row.email,
        role=row.role,
        approved=bool(row.approved),
        disabled=bool(row.disabled),
        locale=row.locale,
        created_at=row.created_at,
        preferences=dict(row.preferences or {}),
    )


# Every column but the private key, which only the federation signer will read.
_ACCOUNT_COLUMNS = [column for column in accounts.c if column.name != "private_key_pem"]
_USER_COLUMNS = [column for column in users.c if column.name != "password_hash"]


def _like_prefix(text: str) -> str:
    """A LIKE pattern matching ``text`` literally at the start (escape char: backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _clamped_add(column: Any, delta: int) -> ColumnElement[Any]:
    """``column + delta`` but never below zero (portable: no GREATEST on SQLite)."""
    return case((column + delta < 0, literal(0)), else_=column + delta)


# Built once (a page reads its authors with it; building it cost more than running it).
_ACCOUNTS_BY_ID = select(*_ACCOUNT_COLUMNS).where(
    accounts.c.id.in_(bindparam("account_ids", expanding=True))
)


class SqlAccounts:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def _one_account(self, *conditions: ColumnElement[bool]) -> Account | None:
        row = (await self.conn.execute(select(*_ACCOUNT_COLUMNS).where(*conditions))).first()
        return _account(row) if row is not None else None

    async def get(self, account_id: int) -> Account | None:
        return await self._one_account(accounts.c.id == account_id)

    async def get_many(self, ids: Sequence[int]) -> dict[int, Account]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = await self.conn.execute(_ACCOUNTS_BY_ID, {"account_ids": sorted(wanted)})
        return {row.id: _account(row) for row in rows}

    async def find_local(self, username: str) -> Account | None:
        return await self._one_account(
            accounts.c.username_key == username_key(username), accounts.c.domain == ""
        )

    async def find_local_many(self, usernames: Sequence[str]) -> dict[str, Account]:
        keys = sorted({username_key(name) for name in usernames})
        if not keys:
            return {}
        rows = await self.conn.execute(
            select(*_ACCOUNT_COLUMNS).where(
                accounts.c.username_key.in_(keys), accounts.c.domain == ""
            )
        )
        return {row.username_key: _account(row) for row in rows}

    async def find_by_acct(self, acct: str) -> Account | None:
        name, _, domain = acct.strip().removeprefix("@").partition("@")
        if not name:
            return None
        if not domain:
            return await self.find_local(name)
        key, domain = username_key(name), domain.lower()
        # The repository does not know our own domain; a local account's canonical URI
        # does, so "user@ourdomain" matches it there.
        own_uris = [f"{scheme}://{domain}/users/{key}" for scheme in ("https", "http")]
        return await self._one_account(
            accounts.c.username_key == key,
            or_(
                accounts.c.domain == domain,
                (accounts.c.domain == "") & func.lower(accounts.c.uri).in_(own_uris),
            ),
        )

    async def adjust_counts(
        self,
        account_id: int,
        *,
        statuses: int = 0,
        followers: int = 0,
        following: int = 0,
        last_status_at: dt.datetime | None = None,
    ) -> None:
        values: dict[str, Any] = {}
        if statuses:
            values["statuses_count"] = _clamped_add(accounts.c.statuses_count, statuses)
        if followers:
            values["followers_count"] = _clamped_add(accounts.c.followers_count, followers)
        if following:
            values["following_count"] = _clamped_add(accounts.c.following_count, following)
        if last_status_at is not None:
            values["last_status_at"] = last_status_at
        if values:
            await self.conn.execute(
                update(accounts).where(accounts.c.id == account_id).values(**values)
            )

    async def _one_user(self, *conditions: ColumnElement[bool]) -> User | None:
        row = (await self.conn.execute(select(*_USER_COLUMNS).where(*conditions))).first()
        return _user(row) if row is not None else None

    async def get_user_by_account(self, account_id: int) -> User | None:
        return await self._one_user(users.c.account_id == account_id)

    async def get_user(self, user_id: int) -> User | None:
        return await self._one_user(users.c.id == user_id)

    async def find_user_by_email(self, email: str) -> User | None:
        return await self._one_user(users.c.email == normalise_email(email))

    async def find_login(self, login: str) -> tuple[User, str] | None:
        login = login.strip()
        if "@" in login:
            condition = users.c.email == normalise_email(login)
        else:
            condition = users.c.account_id.in_(
                select(accounts.c.id).where(
                    accounts.c.username_key == username_key(login), accounts.c.domain == ""
                )
            )
        row = (
            await self.conn.execute(select(*_USER_COLUMNS, users.c.password_hash).where(condition))
        ).first()
        return (_user(row), row.password_hash) if row is not None else None

    async def username_taken(self, username: str) -> bool:
        query = select(accounts.c.id).where(
            accounts.c.username_key == username_key(username), accounts.c.domain == ""
        )
        return (await self.conn.execute(query)).first() is not None

    async def email_taken(self, email: str) -> bool:
        query = select(users.c.id).where(users.c.email == normalise_email(email))
        return (await self.conn.execute(query)).first() is not None

    async def create_local(self, new: NewLocalAccount) -> tuple[Account, User]:
        urls = local_account_urls(new.base_url, new.username)
        try:
            # A savepoint, so a lost race leaves the outer transaction usable on PostgreSQL.
            async with self.conn.begin_nested():
                await self.conn.execute(
                    insert(accounts).values(
                        id=new.account_id,
                        username=new.username,
                        username_key=username_key(new.username),
                        domain="",
                        display_name=new.display_name,
                        note="",
                        note_source="",
                        fields=[],
                        public_key_pem=new.keys.public_pem,
                        # Lazy keys: no private key until the first use makes the pair.
                        private_key_pem=new.keys.private_pem or None,
                        created_at=new.created_at,
                        updated_at=new.created_at,
                        **urls,
                    )
                )
                await self.conn.execute(
                    insert(users).values(
                        id=new.user_id,
                        account_id=new.account_id,
                        email=new.email,
                        password_hash=new.password_hash,
                        role=new.role,
                        approved=new.approved,
                        locale=new.locale,
                        signup_reason=new.reason,
                        signup_ip=new.signup_ip,
                        preferences={},
                        created_at=new.created_at,
                    )
                )
        except IntegrityError as error:
            raise _taken_error(error) from error
        account = await self.get(new.account_id)
        user = await self.get_user(new.user_id)
        assert account is not None
        assert user is not None
        return account, user

    async def key_pair(self, account_id: int) -> KeyPair | None:
        query = select(accounts.c.public_key_pem, accounts.c.private_key_pem).where(
            accounts.c.id == account_id, accounts.c.domain == ""
        )
        row = (await self.conn.execute(query)).first()
        if row is None:
            return None
        if not row.public_key_pem or not row.private_key_pem:
            return KeyPair(public_pem="", private_pem="")
        return KeyPair(public_pem=row.public_key_pem, private_pem=row.private_key_pem)

    async def set_key_pair_if_missing(self, account_id: int, keys: KeyPair) -> bool:
        # Conditional, so of two processes making a pair at once the first one wins.
        result = await self.conn.execute(
            update(accounts)
            .where(
                accounts.c.id == account_id,
                accounts.c.domain == "",
                or_(accounts.c.public_key_pem == "", accounts.c.private_key_pem.is_(None)),
            )
            .values(public_key_pem=keys.public_pem, private_key_pem=keys.private_pem)
        )
        return result.rowcount == 1

    async def update_profile(
        self, account_id: int, changes: ProfileChanges, now: dt.datetime
    ) -> None:
        values: dict[str, Any] = {"updated_at": now}
        for name in (
            "display_name", "note", "note_source", "locked", "bot", "discoverable", "indexable",
            "avatar_path", "header_path",
        ):  # fmt: skip
            value = getattr(changes, name)
            if value is not None:
                values[name] = value
        if changes.fields is not None:
            values["fields"] = _fields_to_json(changes.fields)
        await self.conn.execute(
            update(accounts).where(accounts.c.id == account_id).values(**values)
        )

    async def update_preferences(self, user_id: int, preferences: dict[str, object]) -> None:
        await self.conn.execute(
            update(users).where(users.c.id == user_id).values(preferences=preferences)
        )

    async def set_password_hash(self, user_id: int, password_hash: str) -> None:
        await self.conn.execute(
            update(users).where(users.c.id == user_id).values(password_hash=password_hash)
        )

    async def set_role(self, user_id: int, role: Role) -> None:
        await self.conn.execute(update(users).where(users.c.id == user_id).values(role=role))

    async def record_sign_in(self, user_id: int, at: dt.datetime) -> None:
        await self.conn.execute(
            update(users).where(users.c.id == user_id).values(last_sign_in_at=at)
        )

    async def search_local(self, query: str, limit: int) -> list[Account]:
        key = username_key(query.strip())
        if not key or limit < 1:
            return []
        prefix = _like_prefix(key)
        display = func.lower(accounts.c.display_name)
        exact = accounts.c.username_key == key
        matches = or_(
            accounts.c.username_key.like(prefix, escape="\\"),
            display.like(prefix, escape="\\"),
            display.like("% " + prefix, escape="\\"),
        )
        rows = await self.conn.execute(
            select(*_ACCOUNT_COLUMNS)
            .where(
                accounts.c.domain == "",
                accounts.c.suspended_at.is_(None),
                matches,
                or_(accounts.c.discoverable.is_(True), exact),
                # A limited account is found by its exact name only (as Mastodon).
                or_(accounts.c.silenced_at.is_(None), exact),
            )
            .order_by(
                case((exact, 0), else_=1),
                accounts.c.followers_count.desc(),
                accounts.c.id,
            )
            .limit(limit)
        )
        return [_account(row) for row in rows]

    async def list_users(
        self, limit: int = 1000, after_id: int | None = None
    ) -> list[tuple[User, Account]]:
        user_columns = [column.label(f"user_{column.name}") for column in _USER_COLUMNS]
        query = (
            select(*_ACCOUNT_COLUMNS, *user_columns)
            .select_from(users.join(accounts, accounts.c.id == users.c.account_id))
            .order_by(users.c.id)
            .limit(limit)
        )
        if after_id is not None:
            query = query.where(users.c.id > after_id)
        rows = await self.conn.execute(query)
        result = []
        for row in rows:
            mapping = row._mapping
            user = User(
                id=mapping["user_id"],
                account_id=mapping["user_account_id"],
                email=mapping["user_email"],
                role=mapping["user_role"],
                approved=bool(mapping["user_approved"]),
                disabled=bool(mapping["user_disabled"]),
                locale=mapping["user_locale"],
                created_at=mapping["user_created_at"],
                preferences=dict(mapping["user_preferences"] or {}),
            )
            result.append((user, _account(row)))
        return result

    async def pending_follow_requests(self, account_id: int) -> int:
        query = select(func.count()).where(follow_requests.c.target_account_id == account_id)
        return int((await self.conn.execute(query)).scalar_one())


def _taken_error(error: IntegrityError) -> Invalid:
    """Which unique constraint a concurrent sign-up hit, in Mastodon's 422 shape."""
    text = str(error.orig).lower()
    if "email" in text:
        return Invalid("Validation failed: Email has already been taken", {"email": [TAKEN]})
    return Invalid("Validation failed: Username has already been taken", {"username": [TAKEN]})
