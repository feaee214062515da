"""Fixtures for end-to-end tests: one live server per test module, real clients against it.

Every response the clients see (Mastodon.py through ``requests``, raw ``httpx``) is validated
against the Mastodon OpenAPI contract by hooks from tests/support/openapi.py. A failing test
gets the server's log attached to its report.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
import requests
from mastodon import Mastodon

from tests.databases import DatabaseFactory
from tests.support.live_server import LiveServer
from tests.support.openapi import httpx_sync_hook, requests_hook

APP_SCOPES = ["read", "write", "follow", "push"]
OOB = "urn:ietf:wg:oauth:2.0:oob"
# Never contacted: the test reads the code from the redirect's Location instead.
CALLBACK = "http://127.0.0.1:9/callback"
PASSWORD = "a long enough passphrase 42"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in item.nodeid:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.failed:
        funcargs = getattr(item, "funcargs", {})
        for argument in funcargs.values():
            for value in argument if isinstance(argument, tuple) else (argument,):
                if isinstance(value, LiveServer):
                    report.sections.append(
                        (f"godwit server log ({value.base_url})", value.log_tail())
                    )
    return report


def contract_session() -> requests.Session:
    """A requests session (what Mastodon.py uses) that validates every response."""
    session = requests.Session()
    session.hooks["response"].append(requests_hook)
    return session


@pytest.fixture(scope="module")
def live_server(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    database_url = database_factory.new_url()
    server = LiveServer(tmp_path_factory.mktemp("live"), database_url)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        database_factory.drop(database_url)


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    """Raw HTTP against the live server, contract-checked."""
    with httpx.Client(
        base_url=live_server.base_url,
        event_hooks={"response": [httpx_sync_hook]},
        timeout=30.0,
    ) as client:
        yield client


@dataclass(frozen=True)
class AppCredentials:
    client_id: str
    client_secret: str


@pytest.fixture(scope="module")
def app_credentials(live_server: LiveServer) -> AppCredentials:
    client_id, client_secret = Mastodon.create_app(
        "Godwit e2e",
        scopes=APP_SCOPES,
        redirect_uris=[OOB, CALLBACK],
        website="https://example.org/e2e",
        api_base_url=live_server.base_url,
        session=contract_session(),
    )
    return AppCredentials(client_id, client_secret)


def mastodon_client(base_url: str, **kwargs: object) -> Mastodon:
    return Mastodon(
        api_base_url=base_url,
        session=contract_session(),
        version_check_mode="none",
        ratelimit_method="throw",
        request_timeout=30,
        **kwargs,
    )


@dataclass(frozen=True)
class Person:
    username: str
    email: str
    token: str
    account_id: str
    api: Mastodon

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


SignUp = Callable[..., Person]


@pytest.fixture(scope="module")
def sign_up(live_server: LiveServer, app_credentials: AppCredentials) -> SignUp:
    """Sign a new member up through POST /api/v1/accounts, as Mastodon.py does it."""

    def make(prefix: str, *, locked: bool = False) -> Person:
        username = f"{prefix}_{secrets.token_hex(3)}"
        email = f"{username}@example.com"
        anonymous = mastodon_client(
            live_server.base_url,
            client_id=app_credentials.client_id,
            client_secret=app_credentials.client_secret,
        )
        token = anonymous.create_account(
            username, PASSWORD, email, agreement=True, scopes=APP_SCOPES
        )
        assert isinstance(token, str)
        api = mastodon_client(live_server.base_url, access_token=token)
        if locked:
            api.account_update_credentials(locked=True)
        me = api.account_verify_credentials()
        assert me["username"] == username
        return Person(username, email, token, str(me["id"]), api)

    return make
