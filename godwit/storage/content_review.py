"""SQL repository of the moderation pipeline: community rules and post reviews."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.content_review import (
    CommunityRule,
    Reason,
    RuleKind,
    StatusReview,
    Verdict,
)
from godwit.storage.schema import content_rules, status_reviews, statuses


def _rule(row: Any) -> CommunityRule:
    return CommunityRule(
        id=row.id,
        kind=RuleKind(row.kind),
        pattern=row.pattern,
        action=Verdict.parse(row.action) or Verdict.HOLD,
        reason=row.reason,
        new_accounts_only=bool(row.new_accounts_only),
    )


def _reasons(raw: Any) -> tuple[Reason, ...]:
    reasons = []
    for entry in raw if isinstance(raw, list) else []:
        verdict = Verdict.parse(str(entry.get("verdict", "")))
        if verdict is not None:
            reasons.append(
                Reason(
                    source=str(entry.get("source", "")),
                    verdict=verdict,
                    detail=str(entry.get("detail", "")),
                    rule_id=entry.get("rule_id"),
                )
            )
    return tuple(reasons)


def _review(row: Any) -> StatusReview:
    return StatusReview(
        status_id=row.status_id,
        verdict=Verdict.parse(row.verdict) or Verdict.PUBLISH,
        reasons=_reasons(row.reasons),
        updated_at=row.updated_at,
        score=row.score,
        decision=row.decision,
        decision_note=row.decision_note,
        decided_by_account_id=row.decided_by_account_id,
        decided_at=row.decided_at,
        edit=bool(row.edit),
    )


class SqlContentReview:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def rules(self) -> list[CommunityRule]:
        rows = await self.conn.execute(select(content_rules).order_by(content_rules.c.id))
        return [_rule(row) for row in rows]

    async def add_rule(self, rule: CommunityRule, at: dt.datetime) -> None:
        await self.conn.execute(insert(content_rules).values(**_rule_values(rule), created_at=at))

    async def get_rule(self, rule_id: int) -> CommunityRule | None:
        query = select(content_rules).where(content_rules.c.id == rule_id)
        row = (await self.conn.execute(query)).first()
        return _rule(row) if row is not None else None

    async def update_rule(self, rule: CommunityRule) -> None:
        values = _rule_values(rule)
        del values["id"]
        await self.conn.execute(
            update(content_rules).where(content_rules.c.id == rule.id).values(**values)
        )

    async def delete_rule(self, rule_id: int) -> None:
        await self.conn.execute(delete(content_rules).where(content_rules.c.id == rule_id))

    async def save_review(self, review: StatusReview) -> None:
        values = {
            "verdict": review.verdict.word,
            "score": review.score,
            "reasons": [
                {
                    "source": reason.source,
                    "verdict": reason.verdict.word,
                    "detail": reason.detail,
                    "rule_id": reason.rule_id,
                }
                for reason in review.reasons
            ],
            "decision": review.decision,
            "decision_note": review.decision_note,
            "decided_by_account_id": review.decided_by_account_id,
            "decided_at": review.decided_at,
            "edit": review.edit,
            "updated_at": review.updated_at,
        }
        table = status_reviews
        changed = await self.conn.execute(
            update(table).where(table.c.status_id == review.status_id).values(**values)
        )
        if changed.rowcount == 0:
            await self.conn.execute(insert(table).values(status_id=review.status_id, **values))

    async def reviews(self, status_ids: Sequence[int]) -> dict[int, StatusReview]:
        wanted = sorted(set(status_ids))
        if not wanted:
            return {}
        rows = await self.conn.execute(
            select(status_reviews).where(status_reviews.c.status_id.in_(wanted))
        )
        return {row.status_id: _review(row) for row in rows}

    async def label_status(self, status_id: int, spoiler_text: str) -> None:
        await self.conn.execute(
            update(statuses)
            .where(statuses.c.id == status_id)
            .values(spoiler_text=spoiler_text, sensitive=True)
        )

    async def set_review_state(self, status_id: int, state: str | None) -> bool:
        changed = await self.conn.execute(
            update(statuses).where(statuses.c.id == status_id).values(review_state=state)
        )
        return changed.rowcount > 0


def _rule_values(rule: CommunityRule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "kind": rule.kind.value,
        "pattern": rule.pattern,
        "action": rule.action.word,
        "reason": rule.reason,
        "new_accounts_only": rule.new_accounts_only,
    }
