"""Repository port of the moderation pipeline: community rules and post reviews."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from godwit.domain.content_review import CommunityRule, StatusReview


class ContentReviewRepository(Protocol):
    async def rules(self) -> list[CommunityRule]:
        """Every community rule, oldest first."""
        ...

    async def add_rule(self, rule: CommunityRule, at: dt.datetime) -> None: ...

    async def get_rule(self, rule_id: int) -> CommunityRule | None: ...

    async def update_rule(self, rule: CommunityRule) -> None: ...

    async def delete_rule(self, rule_id: int) -> None: ...

    async def save_review(self, review: StatusReview) -> None:
        """Insert or replace the review of its status."""
        ...

    async def reviews(self, status_ids: Sequence[int]) -> dict[int, StatusReview]: ...

    async def label_status(self, status_id: int, spoiler_text: str) -> None:
        """Put a content warning on the post and mark it sensitive."""
        ...

    async def set_review_state(self, status_id: int, state: str | None) -> bool:
        """Set ``statuses.review_state``; False when the status is gone."""
        ...
