"""Direct-to-database factories so any slice's tests can make members and tokens quickly.

These bypass sign-up (which has its own tests) and write rows the way the real services do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import insert

from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.domain.scopes import TOP_LEVEL
from godwit.domain.secrets import new_token, token_hash
from godwit.storage.schema import accounts, oauth_apps, oauth_tokens, users

ALL_SCOPES = " ".join(TOP_LEVEL)
# A fixed throwaway key: generating RSA keys per test account would be slow.
TEST_PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\ntest\n-----END PUBLIC KEY-----\n"


@dataclass(frozen=True)
class Member:
    account_id: int
    user_id: int
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def make_member(
    components: Components,
    username: str,
    *,
    locked: bool = False,
    role: str = "member",
    scopes: str = ALL_SCOPES,
    password_hash: str = "not-a-usable-hash",
) -> Member:
    now = dt.datetime.now(dt.UTC)
    base = components.settings.base_url
    account_id, user_id, app_id, token_id = new_id(), new_id(), new_id(), new_id()
    token = new_token()
    async with components.database.write() as conn:
        await conn.execute(
            insert(accounts).values(
                id=account_id,
                username=username,
                username_key=username.casefold(),
                domain="",
                display_name=username.title(),
                note="",
                note_source="",
                fields=[],
                uri=f"{base}/users/{username}",
                url=f"{base}/@{username}",
                inbox_url=f"{base}/users/{username}/inbox",
                outbox_url=f"{base}/users/{username}/outbox",
                followers_url=f"{base}/users/{username}/followers",
                shared_inbox_url=f"{base}/inbox",
                public_key_pem=TEST_PUBLIC_KEY,
                private_key_pem=None,
                locked=locked,
                created_at=now,
                updated_at=now,
            )
        )
        await conn.execute(
            insert(users).values(
                id=user_id,
                account_id=account_id,
                email=f"{username.casefold()}@example.test",
                password_hash=password_hash,
                role=role,
                approved=True,
                preferences={},
                created_at=now,
            )
        )
        await conn.execute(
            insert(oauth_apps).values(
                id=app_id,
                name=f"test app for {username}",
                redirect_uris="urn:ietf:wg:oauth:2.0:oob",
                scopes=scopes,
                client_id=new_token(),
                client_secret_hash=token_hash(new_token()),
                created_at=now,
            )
        )
        await conn.execute(
            insert(oauth_tokens).values(
                id=token_id,
                token_hash=token_hash(token),
                app_id=app_id,
                user_id=user_id,
                scopes=scopes,
                created_at=now,
            )
        )
    return Member(account_id=account_id, user_id=user_id, username=username, token=token)
