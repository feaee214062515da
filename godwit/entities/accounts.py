"""The Account and CredentialAccount entities, as Mastodon's API shows them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from godwit.config import Settings
from godwit.domain.accounts import Account, User, posting_defaults
from godwit.entities.common import day, iso_or_none, midnight

# Served by the web app (godwit.web.assets) to accounts without an upload.
AVATAR_MISSING = "/static/avatar-missing.png"
HEADER_MISSING = "/static/header-missing.png"

# Mastodon's role permission bits (UserRole::FLAGS), for the roles Godwit has.
_ADMINISTRATOR = 1 << 0
_VIEW_AUDIT_LOG = 1 << 2
_VIEW_DASHBOARD = 1 << 3
_MANAGE_REPORTS = 1 << 4
_MANAGE_TAXONOMIES = 1 << 8
_MANAGE_USERS = 1 << 10
_INVITE_USERS = 1 << 16
_ROLES: dict[str, dict[str, Any]] = {
    # Mastodon's "everyone" role has id -99 and no name.
    "member": {
        "id": "-99",
        "name": "",
        "permissions": _INVITE_USERS,
        "color": "",
        "highlighted": False,
    },
    "moderator": {
        "id": "1",
        "name": "Moderator",
        "permissions": _INVITE_USERS
        | _VIEW_DASHBOARD
        | _VIEW_AUDIT_LOG
        | _MANAGE_USERS
        | _MANAGE_REPORTS
        | _MANAGE_TAXONOMIES,
        "color": "",
        "highlighted": True,
    },
    "admin": {
        "id": "2",
        "name": "Admin",
        "permissions": _INVITE_USERS | _ADMINISTRATOR,
        "color": "",
        "highlighted": True,
    },
}


def _media_url(settings: Settings, path: str | None, missing: str) -> str:
    if path:
        return (
            path
            if path.startswith(("http://", "https://"))
            else f"{settings.base_url}/{path.lstrip('/')}"
        )
    return settings.base_url + missing


def render_account(account: Account, settings: Settings) -> dict[str, Any]:
    avatar = _media_url(settings, account.avatar_path, AVATAR_MISSING)
    header = _media_url(settings, account.header_path, HEADER_MISSING)
    entity: dict[str, Any] = {
        "id": str(account.id),
        "username": account.username,
        "acct": account.acct,
        "url": account.url,
        "uri": account.uri,
        "display_name": account.display_name,
        "note": account.note,
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "locked": account.locked,
        "bot": account.bot,
        "group": False,
        "discoverable": account.discoverable,
        "indexable": account.indexable,
        "noindex": not account.indexable,
        "hide_collections": False,
        "fields": [
            {"name": f.name, "value": f.value_html, "verified_at": iso_or_none(f.verified_at)}
            for f in account.fields
        ],
        "emojis": [],
        "roles": [],
        "created_at": midnight(account.created_at),
        "last_status_at": day(account.last_status_at),
        "statuses_count": account.statuses_count,
        "followers_count": account.followers_count,
        "following_count": account.following_count,
    }
    # As Mastodon: these appear only when true.
    if account.memorial:
        entity["memorial"] = True
    if account.suspended:
        # As Mastodon: a suspended account keeps its name and counts, and shows nothing
        # it wrote about itself.
        missing_avatar = settings.base_url + AVATAR_MISSING
        missing_header = settings.base_url + HEADER_MISSING
        entity.update(
            suspended=True,
            display_name="",
            note="",
            fields=[],
            avatar=missing_avatar,
            avatar_static=missing_avatar,
            header=missing_header,
            header_static=missing_header,
            locked=False,
            bot=False,
            discoverable=False,
            indexable=False,
            noindex=True,
        )
    if account.silenced:
        entity["limited"] = True
    return entity


def render_accounts(accounts: Sequence[Account], settings: Settings) -> list[dict[str, Any]]:
    return [render_account(account, settings) for account in accounts]


def render_role(role: str) -> dict[str, Any]:
    shown = _ROLES.get(role, _ROLES["member"])
    return {**shown, "permissions": str(shown["permissions"])}


def render_credential_account(
    account: Account, user: User, settings: Settings, *, follow_requests_count: int = 0
) -> dict[str, Any]:
    """The signed-in member's own account: the Account plus ``source`` and ``role``."""
    privacy, sensitive, language = posting_defaults(user)
    entity = render_account(account, settings)
    entity["source"] = {
        "privacy": privacy,
        "sensitive": sensitive,
        "language": language,
        "note": account.note_source,
        "fields": [
            {"name": f.name, "value": f.value, "verified_at": iso_or_none(f.verified_at)}
            for f in account.fields
        ],
        "follow_requests_count": follow_requests_count,
        "discoverable": account.discoverable,
        "indexable": account.indexable,
        "hide_collections": False,
        "attribution_domains": [],
    }
    entity["role"] = render_role(user.role)
    return entity
