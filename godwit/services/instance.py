"""What the server tells apps about itself: instance metadata, rules, emojis, activity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from godwit.config import Settings
from godwit.domain.accounts import Account
from godwit.domain.instance import (
    CustomEmoji,
    InstanceRule,
    UsageStats,
    WeeklyActivity,
    week_starts,
)
from godwit.domain.media import MediaLimits
from godwit.domain.server_settings import MAX_STATUS_CHARS, status_char_limit
from godwit.ports.store import Store, Transaction

REGISTRATION_MODES = ("open", "approval", "closed")
# Settings an admin may change at runtime (server_settings rows override the environment).
_TEXT_OVERRIDES = ("instance_title", "instance_description", "contact_email")


@dataclass(frozen=True, slots=True)
class InstanceInfo:
    title: str
    description: str
    contact_email: str
    registration_mode: str  # open | approval | closed
    max_status_chars: int
    rules: list[InstanceRule]
    usage: UsageStats
    contact_account: Account | None
    media: MediaLimits | None = None  # what uploads are accepted (None: images only)

    @property
    def registrations_open(self) -> bool:
        return self.registration_mode != "closed"

    @property
    def approval_required(self) -> bool:
        return self.registration_mode == "approval"


def effective_settings(settings: Settings, overrides: dict[str, Any]) -> dict[str, Any]:
    """The environment's values overlaid by well-typed server_settings rows; a malformed
    row is ignored rather than served."""
    values: dict[str, Any] = {name: getattr(settings, name) for name in _TEXT_OVERRIDES}
    values["registration_mode"] = settings.registration_mode
    for name in _TEXT_OVERRIDES:
        if isinstance(overrides.get(name), str):
            values[name] = overrides[name]
    if overrides.get("registration_mode") in REGISTRATION_MODES:
        values["registration_mode"] = overrides["registration_mode"]
    values[MAX_STATUS_CHARS] = status_char_limit(
        settings.max_status_chars, overrides.get(MAX_STATUS_CHARS)
    )
    return values


async def max_status_chars(tx: Transaction, settings: Settings) -> int:
    """The character limit of a post: an admin's setting, else the configuration's."""
    stored = await tx.instance.get_setting(MAX_STATUS_CHARS)
    return status_char_limit(settings.max_status_chars, stored)


class InstanceService:
    def __init__(
        self, store: Store, settings: Settings, *, media_limits: MediaLimits | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self.media_limits = media_limits

    async def info(self) -> InstanceInfo:
        async with self.store.read() as tx:
            values = effective_settings(self.settings, await tx.instance.settings())
            rules = await tx.instance.rules()
            usage = await tx.instance.usage(dt.datetime.now(dt.UTC))
            admin_id = await tx.instance.first_admin_account_id()
            admin = await tx.accounts.get(admin_id) if admin_id is not None else None
        return InstanceInfo(
            title=values["instance_title"],
            description=values["instance_description"],
            contact_email=values["contact_email"],
            registration_mode=values["registration_mode"],
            max_status_chars=values[MAX_STATUS_CHARS],
            rules=rules,
            usage=usage,
            contact_account=admin,
            media=self.media_limits,
        )

    async def essentials(self) -> dict[str, Any]:
        """The effective settings alone (title, description, contact, registration mode,
        character limit): one query, for every web page's frame."""
        async with self.store.read() as tx:
            return effective_settings(self.settings, await tx.instance.settings())

    async def rules(self) -> list[InstanceRule]:
        async with self.store.read() as tx:
            return await tx.instance.rules()

    async def custom_emojis(self) -> list[CustomEmoji]:
        async with self.store.read() as tx:
            return await tx.instance.custom_emojis()

    async def weekly_activity(self) -> list[WeeklyActivity]:
        async with self.store.read() as tx:
            return await tx.instance.weekly_activity(week_starts(dt.datetime.now(dt.UTC)))
