"""A member's own small settings: read markers and posting/reading preferences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from godwit.domain.accounts import User, posting_defaults
from godwit.domain.errors import NotFound
from godwit.domain.notifications import MARKER_TIMELINES, Marker
from godwit.ports.store import Store

# Mastodon's answers for the reading preferences Godwit does not let members change yet.
READING_DEFAULTS: dict[str, object] = {
    "reading:expand:media": "default",
    "reading:expand:spoilers": False,
    "reading:autoplay:gifs": False,
}


def preferences_of(user: User) -> dict[str, object]:
    """GET /api/v1/preferences: posting defaults as the member set them, reading defaults."""
    visibility, sensitive, language = posting_defaults(user)
    return {
        "posting:default:visibility": visibility,
        "posting:default:sensitive": sensitive,
        "posting:default:language": language,
        **READING_DEFAULTS,
    }


class MemberSettingsService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def preferences(self, account_id: int) -> dict[str, object]:
        async with self.store.read() as tx:
            user = await tx.accounts.get_user_by_account(account_id)
        if user is None:
            raise NotFound()
        return preferences_of(user)

    async def markers(self, account_id: int, timelines: Sequence[str]) -> dict[str, Marker]:
        wanted = [name for name in timelines if name in MARKER_TIMELINES]
        if not wanted:
            return {}
        async with self.store.read() as tx:
            return await tx.notifications.markers(account_id, wanted)

    async def save_markers(
        self, account_id: int, positions: Mapping[str, int]
    ) -> dict[str, Marker]:
        """Save each known timeline's position in one transaction; unknown ones are ignored."""
        now = dt.datetime.now(dt.UTC)
        saved: dict[str, Marker] = {}
        async with self.store.write() as tx:
            for timeline, last_read_id in positions.items():
                if timeline in MARKER_TIMELINES:
                    saved[timeline] = await tx.notifications.save_marker(
                        account_id, timeline, last_read_id, now
                    )
        return saved
