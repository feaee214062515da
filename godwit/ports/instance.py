"""Repository port for server settings, rules, custom emojis and usage figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from godwit.domain.instance import CustomEmoji, InstanceRule, UsageStats, WeeklyActivity


class InstanceRepository(Protocol):
    async def get_setting(self, key: str) -> Any | None:
        """A runtime server setting (JSON value) changed by admins, or None if never set."""
        ...

    async def set_setting(self, key: str, value: Any) -> None: ...

    async def settings(self) -> dict[str, Any]:
        """Every runtime server setting, in one query."""
        ...

    async def rules(self) -> list[InstanceRule]: ...

    async def add_rule(self, text: str, hint: str = "") -> InstanceRule: ...

    async def custom_emojis(self) -> list[CustomEmoji]:
        """This server's own custom emojis, by shortcode."""
        ...

    async def usage(self, now: dt.datetime) -> UsageStats: ...

    async def first_admin_account_id(self) -> int | None: ...

    async def weekly_activity(self, week_starts: Sequence[dt.datetime]) -> list[WeeklyActivity]:
        """Counts for each week starting at the given instants (newest first), in two queries."""
        ...
