"""OAuth use cases: applications, authorization codes, tokens, revocation.

Raw secrets (client secrets, codes, access tokens) are returned once to the caller and
stored only as SHA-256 hashes.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Awaitable, Callable

from godwit.config import Settings
from godwit.domain.accounts import User
from godwit.domain.errors import Forbidden, Invalid, NotFound, RateLimited, Unauthorized
from godwit.domain.ids import new_id
from godwit.domain.oauth import (
    ACCOUNT_SUSPENDED,
    CODE_LIFETIME,
    LOGIN_DISABLED,
    MAX_APP_NAME,
    PENDING_APPROVAL,
    RESPONSE_MODES,
    AuthorizationCode,
    AuthorizationRequest,
    Credentials,
    IssuedToken,
    OAuthApp,
    OAuthError,
    RedirectableOAuthError,
    is_valid_code_challenge,
    parse_app_scopes,
    parse_redirect_uris,
    scope_string,
    select_scopes,
    verify_pkce,
    website_problem,
)
from godwit.domain.secrets import new_token, token_hash
from godwit.ports.store import Store, Transaction
from godwit.services.login_throttle import LoginThrottle

# AccountService.authenticate_password (login = email or username; None when wrong).
PasswordCheck = Callable[[str, str], Awaitable[User | None]]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class OAuthService:
    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        *,
        login_throttle: LoginThrottle | None = None,
    ) -> None:
        self.store = store
        self.settings = settings or Settings()
        self.login_throttle = login_throttle or LoginThrottle()

    async def authenticate(self, token: str) -> Credentials | None:
        if not token or len(token) > 512:
            return None
        async with self.store.read() as tx:
            return await tx.oauth.credentials_for_token(token_hash(token))

    # Applications ------------------------------------------------------------------------

    async def register_app(
        self,
        *,
        name: str,
        redirect_uris: str | list[str],
        scopes: str | list[str] | None,
        website: str | None,
    ) -> tuple[OAuthApp, str]:
        """A new app and its client secret (shown this once, stored hashed)."""
        name = name.strip()
        if not name:
            raise Invalid(
                "Validation failed: Application name can't be blank",
                {"client_name": [("ERR_BLANK", "can't be blank")]},
            )
        if len(name) > MAX_APP_NAME:
            description = f"is too long (maximum is {MAX_APP_NAME} characters)"
            raise Invalid(
                f"Validation failed: Application name {description}",
                {"client_name": [("ERR_TOO_LONG", description)]},
            )
        uris = parse_redirect_uris(redirect_uris)
        granted = parse_app_scopes(scopes)
        website = (website or "").strip() or None
        if website is not None and (problem := website_problem(website)) is not None:
            raise Invalid(
                f"Validation failed: Website {problem}", {"website": [("ERR_INVALID", problem)]}
            )
        secret = new_token()
        app = OAuthApp(
            id=new_id(),
            name=name,
            website=website,
            redirect_uris=uris,
            scopes=granted,
            client_id=new_token(),
            secret_hash=token_hash(secret),
        )
        async with self.store.write() as tx:
            await tx.oauth.create_app(app, created_at=_now())
        return app, secret

    async def get_app(self, app_id: int) -> OAuthApp:
        async with self.store.read() as tx:
            app = await tx.oauth.get_app(app_id)
        if app is None:
            raise NotFound()
        return app

    async def authenticate_client(self, client_id: str | None, secret: str | None) -> OAuthApp:
        """The app whose id and secret these are (RFC 6749 ``invalid_client`` otherwise)."""
        app = None
        if client_id and len(client_id) <= 256:
            async with self.store.read() as tx:
                app = await tx.oauth.find_app_by_client_id(client_id)
        presented = token_hash(secret or "")
        # Compare even for an unknown client so timing does not tell which part was wrong.
        expected = app.secret_hash if app is not None else token_hash(new_token())
        if app is None or not secret or not hmac.compare_digest(presented, expected):
            raise OAuthError("invalid_client", "Client authentication failed", status=401)
        return app

    # Authorization -----------------------------------------------------------------------

    async def authorization_request(
        self,
        *,
        client_id: str | None,
        redirect_uri: str | None,
        response_type: str | None,
        scope: str | None,
        state: str | None,
        code_challenge: str | None,
        code_challenge_method: str | None,
        response_mode: str | None = None,
    ) -> AuthorizationRequest:
        """Check an /oauth/authorize request. Errors about the client or its redirect URI
        are ``OAuthError`` (show a page: never redirect to an unverified URI); the rest are
        ``RedirectableOAuthError``."""
        app = None
        if client_id and len(client_id) <= 256:
            async with self.store.read() as tx:
                app = await tx.oauth.find_app_by_client_id(client_id)
        if app is None:
            raise OAuthError("invalid_client", "The application is unknown.")
        if not redirect_uri and len(app.redirect_uris) == 1:
            redirect_uri = app.redirect_uris[0]
        if not redirect_uri or redirect_uri not in app.redirect_uris:
            raise OAuthError(
                "invalid_redirect_uri", "The redirect URI is not registered for this application."
            )
        state = state or ""

        def refuse(error: str, description: str) -> RedirectableOAuthError:
            return RedirectableOAuthError(
                error, description, redirect_uri=redirect_uri, state=state
            )

        if response_type != "code":
            raise refuse("unsupported_response_type", "Only response_type=code is supported.")
        if (response_mode or "query") not in RESPONSE_MODES:
            raise refuse("invalid_request", "The response_mode is not supported.")
        scopes = select_scopes(scope, app.scopes)
        if scopes is None:
            raise refuse("invalid_scope", "The requested scope is invalid or not registered.")
        method = code_challenge_method or None
        challenge = code_challenge or None
        if challenge is not None or method is not None:
            if (method or "plain") != "S256":
                raise refuse("invalid_request", "Only the S256 code challenge method is allowed.")
            if challenge is None or not is_valid_code_challenge(challenge):
                raise refuse("invalid_request", "The code challenge is malformed.")
        return AuthorizationRequest(
            app=app,
            redirect_uri=redirect_uri,
            scopes=scopes,
            state=state,
            code_challenge=challenge,
            code_challenge_method=method,
            response_mode=response_mode or "query",
        )

    async def sign_in(
        self, login: str, password: str, *, ip: str, check_password: PasswordCheck
    ) -> User:
        """The member with this login and password, throttled per IP and per login.

        Raises RateLimited, Unauthorized (wrong login or password) or Forbidden (the account
        is pending approval or disabled)."""
        login = login.strip()
        wait = self.login_throttle.retry_after(ip, login)
        if wait is not None:
            raise RateLimited(wait, "Too many failed sign-in attempts. Try again later.")
        user = None
        if login and password and len(login) <= 320 and len(password) <= 1024:
            user = await check_password(login, password)
        if user is None:
            self.login_throttle.record_failure(ip, login)
            raise Unauthorized("Invalid login or password.")
        self.login_throttle.record_success(login)
        if user.disabled:
            raise Forbidden(f"{LOGIN_DISABLED}.")
        if not user.can_sign_in:
            raise Forbidden(f"{PENDING_APPROVAL}.")
        async with self.store.read() as tx:
            account = await tx.accounts.get(user.account_id)
        if account is None or account.suspended:
            raise Forbidden(f"{ACCOUNT_SUSPENDED}.")
        return user

    async def issue_code(self, request: AuthorizationRequest, user: User) -> str:
        """A single-use authorization code for ``request``, granted by ``user``."""
        code = new_token()
        now = _now()
        async with self.store.write() as tx:
            await tx.oauth.create_code(
                AuthorizationCode(
                    id=new_id(),
                    code_hash=token_hash(code),
                    app_id=request.app.id,
                    user_id=user.id,
                    scopes=request.scopes,
                    redirect_uri=request.redirect_uri,
                    code_challenge=request.code_challenge,
                    code_challenge_method=request.code_challenge_method,
                    expires_at=now + CODE_LIFETIME,
                    created_at=now,
                )
            )
        return code

    # Tokens ------------------------------------------------------------------------------

    async def exchange_code(
        self, app: OAuthApp, *, code: str | None, redirect_uri: str | None, verifier: str | None
    ) -> IssuedToken:
        """The authorization_code grant. A replayed code fails and revokes what it issued."""
        if not code or len(code) > 512:
            raise OAuthError("invalid_request", "The code parameter is missing.")
        now = _now()
        replayed = False
        async with self.store.write() as tx:
            stored = await tx.oauth.find_code(token_hash(code))
            if stored is None or stored.app_id != app.id:
                raise _invalid_grant()
            if stored.used_at is not None:
                # RFC 6749 4.1.2: a code used twice may have been stolen; revoke its tokens,
                # committed before the error is raised.
                await tx.oauth.revoke_tokens_from_code(stored.id, now)
                replayed = True
            else:
                if stored.expires_at <= now or stored.redirect_uri != (redirect_uri or ""):
                    raise _invalid_grant()
                if not verify_pkce(verifier, stored.code_challenge):
                    raise OAuthError("invalid_grant", "The code verifier does not match.")
                if not await tx.oauth.mark_code_used(stored.id, now):
                    raise _invalid_grant()
                # A code granted just before a suspension, a disabling or a rejection issues
                # nothing: the member may no longer sign in.
                user = await tx.accounts.get_user(stored.user_id)
                account = await tx.accounts.get(user.account_id) if user else None
                if user is None or not user.can_sign_in or account is None or account.suspended:
                    raise _invalid_grant()
                return await self._issue(
                    tx, app, user_id=stored.user_id, scopes=stored.scopes, code_id=stored.id
                )
        assert replayed
        raise _invalid_grant()

    async def client_credentials_token(self, app: OAuthApp, scope: str | None) -> IssuedToken:
        scopes = select_scopes(scope, app.scopes)
        if scopes is None:
            raise _invalid_scope()
        async with self.store.write() as tx:
            return await self._issue(tx, app, user_id=None, scopes=scopes)

    async def password_token(
        self,
        app: OAuthApp,
        *,
        username: str | None,
        password: str | None,
        scope: str | None,
        ip: str,
        check_password: PasswordCheck,
    ) -> IssuedToken:
        """The resource owner password grant, only when the operator turned it on."""
        if not self.settings.enable_password_grant:
            raise OAuthError("unsupported_grant_type", "The password grant is not enabled.")
        scopes = select_scopes(scope, app.scopes)
        if scopes is None:
            raise _invalid_scope()
        try:
            user = await self.sign_in(
                username or "", password or "", ip=ip, check_password=check_password
            )
        except (Unauthorized, Forbidden) as error:
            raise OAuthError("invalid_grant", error.message) from error
        async with self.store.write() as tx:
            return await self._issue(tx, app, user_id=user.id, scopes=scopes)

    async def operator_token(
        self, app: OAuthApp, user_id: int, scopes: frozenset[str]
    ) -> IssuedToken:
        """A token granted by the operator at the command line, not by the member (the
        demo community's members act through the API with these)."""
        async with self.store.write() as tx:
            return await self._issue(tx, app, user_id=user_id, scopes=scopes & app.scopes)

    async def revoke(self, app: OAuthApp, token: str | None) -> None:
        """RFC 7009: unknown tokens are fine; another app's token is refused."""
        if not token or len(token) > 512:
            return
        async with self.store.write() as tx:
            stored = await tx.oauth.find_token(token_hash(token))
            if stored is None or stored.revoked:
                return
            if stored.app_id != app.id:
                raise OAuthError(
                    "unauthorized_client",
                    "You are not authorized to revoke this token.",
                    status=403,
                )
            await tx.oauth.revoke_token(stored.id, _now())

    async def _issue(
        self,
        tx: Transaction,
        app: OAuthApp,
        *,
        user_id: int | None,
        scopes: frozenset[str],
        code_id: int | None = None,
    ) -> IssuedToken:
        token = new_token()
        now = _now()
        await tx.oauth.create_token(
            token_id=new_id(),
            token_hash=token_hash(token),
            app_id=app.id,
            user_id=user_id,
            scopes=scope_string(scopes),
            created_at=now,
            code_id=code_id,
        )
        return IssuedToken(access_token=token, scopes=scopes, created_at=now)


def _invalid_grant() -> OAuthError:
    return OAuthError(
        "invalid_grant",
        "The provided authorization grant is invalid, expired, revoked, does not match the "
        "redirection URI used in the authorization request, or was issued to another client.",
    )


def _invalid_scope() -> OAuthError:
    return OAuthError("invalid_scope", "The requested scope is invalid, unknown, or malformed.")
