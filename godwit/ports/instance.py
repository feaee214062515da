"""Repository port for server settings, rules, custom emojis and usage figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from godwit.domain.instance import CustomEmoji, InstanceRule, UsageStats, WeeklyActivity


class InstanceRepository(Protocol):
    async def ping(self) -> None:
        """The cheapest round trip to the database (the health check); raises if down."""
        ...

    async def get_setting(self, key: str) -> Any | None:
        """A runtime server setting (JSON value) changed by admins, or None if never set."""
        ...

    async def set_setting(self, key: str, value: Any) -> None: ...

    async def settings(self) -> dict[str, Any]:
        """Every runtime server setting, in one query."""
        ...

    async def rules(self) -> list[InstanceRule]: ...

    async def add_rule(self, text: str, hint: str = "") -> InstanceRule: ...

    async def get_rule(self, rule_id: int) -> InstanceRule | None:
        """A rule in force (deleted ones are kept for the reports citing them, not shown)."""
        ...

    async def rules_among(self, rule_ids: Sequence[int]) -> dict[int, InstanceRule]:
        """These rules, deleted ones included (a report cites them as they were)."""
        ...

    async def update_rule(self, rule_id: int, text: str, hint: str) -> bool: ...

    async def delete_rule(self, rule_id: int, at: dt.datetime) -> bool:
        """Mark the rule deleted; False if it was not in force."""
        ...

    async def custom_emojis(self) -> list[CustomEmoji]:
        """This server's own custom emojis, by shortcode."""
        ...

    async def usage(self, now: dt.datetime) -> UsageStats: ...

    async def first_admin_account_id(self) -> int | None: ...

    async def weekly_activity(self, week_starts: Sequence[dt.datetime]) -> list[WeeklyActivity]:
        """Counts for each week starting at the given instants (newest first), in two queries."""
        ...
