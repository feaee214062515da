"""Scopes in plain words, for the consent page (wording after Mastodon's own)."""

from __future__ import annotations

from collections.abc import Iterable

from godwit.domain.scopes import ordered

_LABELS = {
    "read": "Read all your account's data",
    "write": "Change all your account's data",
    "follow": "See and change who you follow, block and mute",
    "push": "Receive your push notifications",
    "profile": "See only your profile's basic information",
    "admin:read": "Read all data on the server",
    "admin:write": "Moderate all data on the server",
    "read:accounts": "See accounts' information",
    "read:blocks": "See your blocks",
    "read:bookmarks": "See your bookmarks",
    "read:favourites": "See your favourites",
    "read:filters": "See your filters",
    "read:follows": "See who you follow",
    "read:lists": "See your lists",
    "read:mutes": "See your mutes",
    "read:notifications": "See your notifications",
    "read:search": "Search on your behalf",
    "read:statuses": "See all posts you can see",
    "write:accounts": "Change your profile",
    "write:blocks": "Block accounts and domains",
    "write:bookmarks": "Bookmark posts",
    "write:conversations": "Mute and delete conversations",
    "write:favourites": "Favourite posts",
    "write:filters": "Create filters",
    "write:follows": "Follow people",
    "write:lists": "Create lists",
    "write:media": "Upload media files",
    "write:mutes": "Mute people and conversations",
    "write:notifications": "Clear your notifications",
    "write:reports": "Report other people",
    "write:statuses": "Publish posts",
}


def describe(scope: str) -> str:
    if scope in _LABELS:
        return _LABELS[scope]
    if scope.startswith("admin:read:"):
        return f"Read {scope.rsplit(':', 1)[1].replace('_', ' ')} on the server"
    if scope.startswith("admin:write:"):
        return f"Moderate {scope.rsplit(':', 1)[1].replace('_', ' ')} on the server"
    return scope


def describe_all(scopes: Iterable[str]) -> list[tuple[str, str]]:
    """(scope, description) pairs in Mastodon's order."""
    return [(scope, describe(scope)) for scope in ordered(scopes)]
