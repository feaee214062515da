"""Browser sessions of Godwit's own web app.

A session is an OAuth access token of the server's built-in "web" application, kept in an
HttpOnly cookie: the pages authenticate exactly as the client API does, a suspension or a
password change that revokes tokens ends every browser session too, and "authorised apps"
can list and revoke them like any app's tokens.
"""

from __future__ import annotations

import datetime as dt

from godwit.config import Settings
from godwit.domain.ids import new_id
from godwit.domain.oauth import Credentials, OAuthApp, scope_string
from godwit.domain.secrets import new_token, token_hash
from godwit.ports.store import Store, Transaction
from godwit.services.accounts import AccountService, Registered, SignUp
from godwit.services.oauth import OAuthService

WEB_APP_SETTING = "web_app_id"
WEB_APP_NAME = "Web"
WEB_SCOPES = frozenset({"read", "write", "follow", "push"})


class WebSessionService:
    def __init__(
        self, store: Store, settings: Settings, oauth: OAuthService, accounts: AccountService
    ) -> None:
        self.store = store
        self.settings = settings
        self.oauth = oauth
        self.accounts = accounts
        self._web_app_id: int | None = None

    async def web_app(self) -> OAuthApp:
        """The built-in application that web sessions belong to, made on first use."""
        async with self.store.write() as tx:
            return await self._web_app(tx)

    async def sign_in(self, login: str, password: str, *, ip: str) -> str:
        """A new session token; raises what OAuthService.sign_in raises."""
        user = await self.oauth.sign_in(
            login, password, ip=ip, check_password=self.accounts.authenticate_password
        )
        return await self.start(user.id)

    async def start(self, user_id: int) -> str:
        """A new session for a member already authenticated (or made by a test)."""
        token = new_token()
        async with self.store.write() as tx:
            app = await self._web_app(tx)
            await tx.oauth.create_token(
                token_id=new_id(),
                token_hash=token_hash(token),
                app_id=app.id,
                user_id=user_id,
                scopes=scope_string(WEB_SCOPES),
                created_at=dt.datetime.now(dt.UTC),
            )
        return token

    async def sign_up(self, request: SignUp) -> Registered:
        """The new member with a session token (usable at once unless approval is needed)."""
        app = await self.web_app()
        return await self.accounts.register(request, app_id=app.id, scopes=WEB_SCOPES)

    async def resume(self, token: str) -> Credentials | None:
        """The session behind a cookie, or None when it is unknown, revoked or not a web
        session (an app's token pasted into the cookie opens no pages)."""
        credentials = await self.oauth.authenticate(token)
        if credentials is None or credentials.account_id is None:
            return None
        if self._web_app_id is None:
            self._web_app_id = (await self.web_app()).id
        return credentials if credentials.app_id == self._web_app_id else None

    async def sign_out(self, token: str) -> None:
        if not token or len(token) > 512:
            return
        async with self.store.write() as tx:
            stored = await tx.oauth.find_token(token_hash(token))
            if stored is not None and not stored.revoked:
                await tx.oauth.revoke_token(stored.id, dt.datetime.now(dt.UTC))

    async def _web_app(self, tx: Transaction) -> OAuthApp:
        app_id = await tx.instance.get_setting(WEB_APP_SETTING)
        if isinstance(app_id, str) and app_id.isdigit():
            app = await tx.oauth.get_app(int(app_id))
            if app is not None:
                self._web_app_id = app.id
                return app
        app = OAuthApp(
            id=new_id(),
            name=WEB_APP_NAME,
            website=None,
            redirect_uris=("urn:ietf:wg:oauth:2.0:oob",),
            scopes=WEB_SCOPES,
            client_id=new_token(),
            secret_hash=token_hash(new_token()),
        )
        await tx.oauth.create_app(app, created_at=dt.datetime.now(dt.UTC))
        await tx.instance.set_setting(WEB_APP_SETTING, str(app.id))
        self._web_app_id = app.id
        return app
