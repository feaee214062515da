"""A member's authorised applications: which apps hold live tokens, and taking access back.

The web app's own browser sessions are tokens of the built-in "Web" application
(``web_sessions.py``); they are listed apart, and revoking them signs the member out of
every browser. Revoking an app revokes every token of it that the member granted, so the
app must ask for consent again; other members' tokens of the same app are untouched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from godwit.domain.errors import NotFound
from godwit.domain.oauth import AuthorisedApp
from godwit.ports.store import Store, Transaction
from godwit.services.web_sessions import WebSessionService


@dataclass(frozen=True, slots=True)
class AuthorisedApps:
    apps: list[AuthorisedApp]  # third-party apps, most recently authorised first
    browser_sessions: AuthorisedApp | None  # the web app's live sessions, if any


class AuthorisedAppService:
    def __init__(self, store: Store, web_sessions: WebSessionService) -> None:
        self.store = store
        self.web_sessions = web_sessions
        self._web_app_id: int | None = None

    async def _web_app(self) -> int:
        # The web app is made once and never changes; asking for it takes a write.
        if self._web_app_id is None:
            self._web_app_id = (await self.web_sessions.web_app()).id
        return self._web_app_id

    async def of_member(self, account_id: int) -> AuthorisedApps:
        web_app_id = await self._web_app()
        async with self.store.read() as tx:
            user_id = await _user_id(tx, account_id)
            authorised = await tx.oauth.authorised_apps(user_id)
        return AuthorisedApps(
            apps=[app for app in authorised if app.app_id != web_app_id],
            browser_sessions=next((app for app in authorised if app.app_id == web_app_id), None),
        )

    async def revoke(self, account_id: int, app_id: int) -> int:
        """Revoke every live token of ``app_id`` held for this member; NotFound when it has
        none (an app the member never authorised looks the same as one that does not exist)."""
        async with self.store.write() as tx:
            user_id = await _user_id(tx, account_id)
            revoked = await tx.oauth.revoke_user_tokens(
                user_id, dt.datetime.now(dt.UTC), app_id=app_id
            )
        if revoked == 0:
            raise NotFound()
        return revoked

    async def sign_out_everywhere(self, account_id: int) -> int:
        """End every browser session of the member, the caller's own included."""
        web_app_id = await self._web_app()
        async with self.store.write() as tx:
            user_id = await _user_id(tx, account_id)
            return await tx.oauth.revoke_user_tokens(
                user_id, dt.datetime.now(dt.UTC), app_id=web_app_id
            )


async def _user_id(tx: Transaction, account_id: int) -> int:
    user = await tx.accounts.get_user_by_account(account_id)
    if user is None:
        raise NotFound()
    return user.id
