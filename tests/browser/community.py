"""The people of the browser tests' server, made the way real people and operators make them.

Members sign up through the client API (``POST /api/v1/accounts``), so each has a known
password for the sign-in form and a token for acting through the API like another app would;
staff are made by the operator's command (``godwit user role``), exactly as the README tells an
operator to do it. Every API response is checked against the Mastodon contract.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.live_server import LiveServer
from tests.support.openapi import httpx_sync_hook

PASSWORD = "a long enough browser passphrase 42"
SCOPES = "read write follow push"
CLI_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Member:
    username: str
    email: str
    password: str
    token: str
    account_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def profile_path(self) -> str:
        return f"/@{self.username}"


class Community:
    """Makes members and has them act through the Mastodon API of one live server."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.http = httpx.Client(
            base_url=server.base_url,
            event_hooks={"response": [httpx_sync_hook]},
            timeout=30.0,
        )
        self._app_token: str | None = None

    def close(self) -> None:
        self.http.close()

    # --- people -------------------------------------------------------------------------

    def _client_token(self) -> str:
        """An app token (client credentials): what an app holds before anyone signs up."""
        if self._app_token is None:
            app = self._ok(
                self.http.post(
                    "/api/v1/apps",
                    json={
                        "client_name": "Godwit browser tests",
                        "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                        "scopes": SCOPES,
                    },
                )
            )
            token = self._ok(
                self.http.post(
                    "/oauth/token",
                    data={
                        "grant_type": "client_credentials",
                        "client_id": app["client_id"],
                        "client_secret": app["client_secret"],
                        "scope": SCOPES,
                    },
                )
            )
            self._app_token = str(token["access_token"])
        return self._app_token

    def join(
        self, prefix: str, *, display_name: str = "", note: str = "", unique: bool = True
    ) -> Member:
        """A new member, signed up through the API (rules accepted), with a token. The
        username is ``prefix`` plus a random suffix, or ``prefix`` itself when not
        ``unique`` (for screenshots, where people should look like people)."""
        username = f"{prefix}_{secrets.token_hex(3)}" if unique else prefix
        email = f"{username}@example.com"
        created = self._ok(
            self.http.post(
                "/api/v1/accounts",
                headers={"Authorization": f"Bearer {self._client_token()}"},
                json={
                    "username": username,
                    "email": email,
                    "password": PASSWORD,
                    "agreement": True,
                    "locale": "en",
                },
            )
        )
        token = str(created["access_token"])
        me = self._ok(
            self.http.get(
                "/api/v1/accounts/verify_credentials",
                headers={"Authorization": f"Bearer {token}"},
            )
        )
        member = Member(username, email, PASSWORD, token, str(me["id"]))
        if display_name or note:
            self.update_profile(member, display_name=display_name, note=note)
        return member

    def staff(
        self, prefix: str, role: str = "moderator", *, display_name: str = "", unique: bool = True
    ) -> Member:
        """A member the operator promoted with ``godwit user role`` (in the audit log)."""
        member = self.join(
            prefix, display_name=display_name or f"{prefix.title()} of the staff", unique=unique
        )
        self.godwit("user", "role", member.username, role, "--reason", "browser tests")
        return member

    def godwit(self, *arguments: str) -> str:
        """Run the ``godwit`` command against this server's database, as its operator."""
        done = subprocess.run(
            [sys.executable, "-m", "godwit", *arguments],
            env=self.server.environment(),
            cwd=self.server.workdir,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT_SECONDS,
            check=False,
        )
        assert done.returncode == 0, (
            f"godwit {' '.join(arguments)} failed ({done.returncode}):\n"
            f"{done.stdout}\n{done.stderr}"
        )
        return done.stdout

    # --- acting through the API ---------------------------------------------------------

    def update_profile(
        self,
        member: Member,
        *,
        fields: list[tuple[str, str]] | None = None,
        avatar: bytes | None = None,
        header: bytes | None = None,
        **changes: str,
    ) -> dict[str, Any]:
        """PATCH update_credentials: text changes, profile fields as (name, value) pairs,
        avatar and header as PNG bytes."""
        data: dict[str, Any] = {key: value for key, value in changes.items() if value}
        for index, (name, value) in enumerate(fields or []):
            data[f"fields_attributes[{index}][name]"] = name
            data[f"fields_attributes[{index}][value]"] = value
        files = {
            name: (f"{name}.png", content, "image/png")
            for name, content in (("avatar", avatar), ("header", header))
            if content is not None
        }
        return self._ok(
            self.http.patch(
                "/api/v1/accounts/update_credentials",
                headers=member.headers,
                data=data,
                files=files or None,
            )
        )

    def post(self, member: Member, text: str, **extra: Any) -> dict[str, Any]:
        return self._ok(
            self.http.post(
                "/api/v1/statuses", headers=member.headers, json={"status": text, **extra}
            )
        )

    def upload_image(self, member: Member, png: bytes, description: str) -> dict[str, Any]:
        return self._ok(
            self.http.post(
                "/api/v2/media",
                headers=member.headers,
                files={"file": ("picture.png", png, "image/png")},
                data={"description": description},
            )
        )

    def follow(self, member: Member, other: Member | str) -> dict[str, Any]:
        target = other.account_id if isinstance(other, Member) else other
        return self._ok(self.http.post(f"/api/v1/accounts/{target}/follow", headers=member.headers))

    def favourite(self, member: Member, status_id: str) -> dict[str, Any]:
        return self._ok(
            self.http.post(f"/api/v1/statuses/{status_id}/favourite", headers=member.headers)
        )

    def report(
        self, member: Member, account_id: str, status_ids: list[str], comment: str
    ) -> dict[str, Any]:
        return self._ok(
            self.http.post(
                "/api/v1/reports",
                headers=member.headers,
                json={
                    "account_id": account_id,
                    "status_ids": status_ids,
                    "comment": comment,
                    "category": "other",
                },
            )
        )

    def statuses_of(self, member: Member, viewer: Member | None = None) -> list[dict[str, Any]]:
        headers = viewer.headers if viewer else {}
        found = self._ok(
            self.http.get(f"/api/v1/accounts/{member.account_id}/statuses", headers=headers)
        )
        assert isinstance(found, list)
        return found

    def account(self, member: Member) -> dict[str, Any]:
        found: dict[str, Any] = self._ok(self.http.get(f"/api/v1/accounts/{member.account_id}"))
        return found

    def relationship(self, member: Member, other: Member) -> dict[str, Any]:
        found = self._ok(
            self.http.get(
                "/api/v1/accounts/relationships",
                headers=member.headers,
                params={"id[]": other.account_id},
            )
        )
        assert isinstance(found, list), found
        assert len(found) == 1, found
        relationship: dict[str, Any] = found[0]
        return relationship

    def home_timeline(self, member: Member, limit: int = 40) -> list[dict[str, Any]]:
        found = self._ok(
            self.http.get("/api/v1/timelines/home", headers=member.headers, params={"limit": limit})
        )
        assert isinstance(found, list)
        return found

    def public_local(self, limit: int = 40) -> list[dict[str, Any]]:
        found = self._ok(
            self.http.get("/api/v1/timelines/public", params={"local": "true", "limit": limit})
        )
        assert isinstance(found, list)
        return found

    def credentials_status(self, member: Member) -> int:
        """The status code of verify_credentials with the member's token."""
        return self.http.get(
            "/api/v1/accounts/verify_credentials", headers=member.headers
        ).status_code

    @staticmethod
    def _ok(response: httpx.Response) -> Any:
        assert response.status_code == 200, (
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:1000]}"
        )
        return response.json()
