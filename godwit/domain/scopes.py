"""OAuth scopes as Mastodon defines them, and the hierarchy between them.

``read`` covers every ``read:*``; ``write`` every ``write:*``; ``follow`` (deprecated) means
read and write of follows, blocks and mutes; ``admin:read``/``admin:write`` cover their
``admin:read:*``/``admin:write:*``. ``profile`` grants only verify_credentials.
"""

from __future__ import annotations

from collections.abc import Iterable

READ_SCOPES = (
    "read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters",
    "read:follows", "read:lists", "read:mutes", "read:notifications", "read:search",
    "read:statuses",
)  # fmt: skip
WRITE_SCOPES = (
    "write:accounts", "write:blocks", "write:bookmarks", "write:conversations",
    "write:favourites", "write:filters", "write:follows", "write:lists", "write:media",
    "write:mutes", "write:notifications", "write:reports", "write:statuses",
)  # fmt: skip
ADMIN_READ_SCOPES = (
    "admin:read:accounts", "admin:read:reports", "admin:read:domain_allows",
    "admin:read:domain_blocks", "admin:read:ip_blocks", "admin:read:email_domain_blocks",
    "admin:read:canonical_email_blocks",
)  # fmt: skip
ADMIN_WRITE_SCOPES = tuple(
    scope.replace("admin:read", "admin:write") for scope in ADMIN_READ_SCOPES
)
FOLLOW_SCOPES = (
    "read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes",
)  # fmt: skip

TOP_LEVEL = ("read", "write", "follow", "push", "profile", "admin:read", "admin:write")
ALL_SCOPES = frozenset(
    (*TOP_LEVEL, *READ_SCOPES, *WRITE_SCOPES, *ADMIN_READ_SCOPES, *ADMIN_WRITE_SCOPES)
)

_IMPLIED: dict[str, tuple[str, ...]] = {
    "read": READ_SCOPES,
    "write": WRITE_SCOPES,
    "follow": FOLLOW_SCOPES,
    "admin:read": ADMIN_READ_SCOPES,
    "admin:write": ADMIN_WRITE_SCOPES,
}


def parse_scopes(raw: str | Iterable[str] | None, default: str = "read") -> frozenset[str] | None:
    """Scopes from a space- or plus-separated string; None if any is unknown."""
    if raw is None:
        raw = default
    parts = raw.replace("+", " ").split() if isinstance(raw, str) else list(raw)
    if not parts:
        parts = default.split()
    scopes = frozenset(parts)
    return scopes if scopes <= ALL_SCOPES else None


def expand(scopes: Iterable[str]) -> frozenset[str]:
    """Every scope the given ones grant, with the hierarchy unfolded."""
    granted: set[str] = set()
    for scope in scopes:
        granted.add(scope)
        granted.update(_IMPLIED.get(scope, ()))
    return frozenset(granted)


def satisfies(granted: Iterable[str], required: str) -> bool:
    """Whether a token holding ``granted`` may use an endpoint needing ``required``.

    ``required`` may list alternatives separated by ``|`` (for example
    ``read:accounts|profile`` for verify_credentials).
    """
    have = expand(granted)
    return any(option in have for option in required.split("|"))


def is_subset(requested: Iterable[str], registered: Iterable[str]) -> bool:
    """A token may ask only for scopes its application registered (hierarchy included)."""
    allowed = expand(registered)
    return all(scope in allowed for scope in requested)


# The order Mastodon publishes in its OAuth metadata; also how token scopes are written.
PUBLISHED_ORDER = (
    "read", "write", *WRITE_SCOPES, *READ_SCOPES, "follow", "push", "profile",
    "admin:read", *ADMIN_READ_SCOPES, "admin:write", *ADMIN_WRITE_SCOPES,
)  # fmt: skip
_POSITION = {scope: index for index, scope in enumerate(PUBLISHED_ORDER)}


def ordered(scopes: Iterable[str]) -> list[str]:
    """Scopes in Mastodon's published order, so a scope string reads the same every time."""
    return sorted(set(scopes), key=lambda scope: (_POSITION.get(scope, len(_POSITION)), scope))
