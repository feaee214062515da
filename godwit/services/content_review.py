"""The moderation pipeline: screening new local posts before they reach anyone else.

Posting stays as fast as before. In the posting transaction the community's own rules run
(keywords, regular expressions with a timeout, mention and link limits): a rule may reject
the post at once with its reason, hold it, or label it. When the threat policy is on, the
post is then stored *pending* and a durable job scores it off the request path; the job
publishes it, labels and publishes it, or holds it. Until published, a post is seen only by
its author (and moderators, in their queue): no fan-out, notifications, search results or
stream events (``domain.posts.can_see`` hides it; ``publication.publish_status`` runs only
when it is let through). Moderators approve a held post (it then fans out as if just
posted) or reject it (the author is told why); each decision is in the audit log.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from godwit.config import Settings
from godwit.domain import audit
from godwit.domain.accounts import Account
from godwit.domain.content_review import (
    HELD,
    PENDING,
    REJECTED,
    Decision,
    PostingLimits,
    Reason,
    StatusReview,
    ThreatPolicy,
    ThreatPolicyMode,
    Verdict,
    check_rules,
    decide,
    is_new_account,
    score_reasons,
)
from godwit.domain.errors import Conflict, Forbidden, Invalid, NotFound
from godwit.domain.mod_queue import HELD_STATUS, OPEN, QueueItem
from godwit.domain.posts import Status
from godwit.domain.roles import Actor, Staff
from godwit.domain.text import parse
from godwit.domain.threats import ThreatPreset
from godwit.ports.store import Store, Transaction
from godwit.ports.threats import ThreatScorer
from godwit.services.account_moderation import send_warning
from godwit.services.audit import Target, load_staff, now, record
from godwit.services.publication import publish_edit, publish_status

log = logging.getLogger("godwit.moderation")

REVIEW_JOB = "status.review"
MAX_DECISION_NOTE = 1000
POLICY_KEYS = (
    "moderation_threat_policy",
    "moderation_hold_threshold",
    "moderation_label_threshold",
    "moderation_max_mentions",
    "moderation_max_links",
    "moderation_new_account_days",
    "moderation_new_account_max_mentions",
    "moderation_new_account_max_links",
)


@dataclass(frozen=True, slots=True)
class ReviewPolicy:
    threat: ThreatPolicy
    limits: PostingLimits


@dataclass(frozen=True, slots=True)
class Screening:
    """The rules' decision in the posting transaction, and whether the scorer must run."""

    decision: Decision
    needs_scoring: bool

    @property
    def review_state(self) -> str | None:
        if self.decision.verdict is Verdict.HOLD:
            return HELD
        return PENDING if self.needs_scoring else None


def effective_policy(settings: Settings, overrides: Mapping[str, Any]) -> ReviewPolicy:
    """The configuration's policy overlaid by what admins saved (ill-typed rows ignored)."""
    values: dict[str, Any] = {key: getattr(settings, key) for key in POLICY_KEYS}
    for key in POLICY_KEYS:
        stored = overrides.get(key)
        if stored is not None and type(stored) is type(values[key]):
            values[key] = stored
    try:
        mode = ThreatPolicyMode(values["moderation_threat_policy"])
    except ValueError:
        mode = ThreatPolicyMode(settings.moderation_threat_policy)
    return ReviewPolicy(
        threat=ThreatPolicy(
            mode,
            hold_threshold=_fraction(values["moderation_hold_threshold"]),
            label_threshold=_fraction(values["moderation_label_threshold"]),
        ),
        limits=PostingLimits(
            max_mentions=max(0, values["moderation_max_mentions"]),
            max_links=max(0, values["moderation_max_links"]),
            new_account_days=max(0, values["moderation_new_account_days"]),
            new_max_mentions=max(0, values["moderation_new_account_max_mentions"]),
            new_max_links=max(0, values["moderation_new_account_max_links"]),
        ),
    )


def _fraction(raw: object) -> float | None:
    try:
        value = float(str(raw)) if raw not in (None, "") else None
    except ValueError:
        return None
    return value if value is not None and 0.0 <= value <= 1.0 else None


def scoring_text(status: Status) -> str:
    """What the scorer reads: the content warning and the text without mentions and links,
    which carry no meaning for the model and only dilute the sentence it embeds."""
    parsed = parse(status.text)
    text = status.text
    for url in parsed.urls:
        text = text.replace(url, " ")
    for acct in parsed.mentions:
        text = re.sub(rf"@{re.escape(acct)}(?![\w@.])", " ", text, flags=re.IGNORECASE)
    return " ".join(f"{status.spoiler_text}\n{text}".split())


class ContentReviewService:
    def __init__(self, store: Store, settings: Settings, scorer: ThreatScorer | None) -> None:
        self.store = store
        self.settings = settings
        self.scorer = scorer

    async def policy(self, tx: Transaction) -> ReviewPolicy:
        return effective_policy(self.settings, await tx.instance.settings())

    async def screen(
        self, tx: Transaction, *, author: Account, text: str, spoiler_text: str
    ) -> Screening:
        """In the posting (or editing) transaction: the community's rules; a REJECT is
        raised as ``Invalid`` with the rule's reason, and nothing is written."""
        policy = await self.policy(tx)
        parsed = parse(text)
        reasons = check_rules(
            f"{spoiler_text}\n{text}",
            rules=await tx.content_review.rules(),
            limits=policy.limits,
            mentions=len(parsed.mentions),
            links=len(parsed.urls),
            new_account=is_new_account(author.created_at, now(), policy.limits),
        )
        decision = decide(reasons)
        if decision.verdict is Verdict.REJECT:
            reason = decision.rejection_reason or "This post breaks a rule of this server."
            raise Invalid(f"Validation failed: {reason}", {"text": [("ERR_REJECTED", reason)]})
        needs_scoring = (
            decision.verdict < Verdict.HOLD and policy.threat.enabled and self.scorer is not None
        )
        return Screening(decision, needs_scoring)

    async def record_screening(
        self, tx: Transaction, status: Status, screening: Screening, *, edit: bool = False
    ) -> None:
        """After the post (or its edit) is stored: keep the rules' reasons, and queue the
        scoring job or the moderators' item. ``edit``: once let through, it is published as
        an edit (the post reached people before), not as a new post."""
        if screening.review_state is None and not screening.decision.reasons:
            return
        await tx.content_review.save_review(
            StatusReview(
                status.id,
                screening.decision.verdict,
                screening.decision.reasons,
                now(),
                edit=edit,
            )
        )
        if screening.review_state == PENDING:
            await tx.jobs.enqueue(REVIEW_JOB, {"status_id": status.id})
        elif screening.review_state == HELD:
            await _open_item(tx, status)

    # ----- the job that scores ------------------------------------------------------------

    async def handle_review(self, payload: dict[str, Any]) -> None:
        """The "status.review" job: score a pending post, then publish, label or hold it."""
        status_id = int(payload["status_id"])
        async with self.store.read() as tx:
            status = await tx.statuses.get(status_id)
            policy = await self.policy(tx)
        if status is None or status.review_state != PENDING:
            return  # deleted meanwhile, or already decided (the job ran before a crash)
        hold, label = (None, None)
        score = None
        if self.scorer is not None and policy.threat.enabled:
            presets: dict[ThreatPreset, float] = dict(self.scorer.thresholds)
            hold, label = policy.threat.thresholds(presets)
            score = await self.scorer.score(scoring_text(status))
        async with self.store.write() as tx:
            status = await tx.statuses.get(status_id)
            if status is None or status.review_state != PENDING:
                return
            earlier = (await tx.content_review.reviews([status_id])).get(status_id)
            reasons: list[Reason] = list(earlier.reasons) if earlier else []
            if score is not None:
                reasons += score_reasons(score, hold, label)
            decision = decide(reasons, score.score if score is not None else None)
            edit = earlier.edit if earlier is not None else False
            await tx.content_review.save_review(
                StatusReview(
                    status_id, decision.verdict, decision.reasons, now(), decision.score, edit=edit
                )
            )
            if decision.verdict is Verdict.HOLD:
                await tx.content_review.set_review_state(status_id, HELD)
                await _open_item(tx, status)
                log.info("post %s held for review (score %s)", status_id, decision.score)
                return
            if decision.verdict is Verdict.LABEL and not status.spoiler_text:
                await tx.content_review.label_status(status_id, decision.label)
            await tx.content_review.set_review_state(status_id, None)
            await _publish(tx, self.settings, status_id, edit=edit)

    # ----- moderators' decisions ----------------------------------------------------------

    async def approve(self, actor: Actor, status_id: int, note: str = "") -> None:
        """Let a held post through: it fans out as if just posted."""
        note = _note(note)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor)
            status, item = await _held(tx, staff, status_id)
            await tx.content_review.set_review_state(status_id, None)
            review = await _decide(tx, status_id, "approved", note, staff.account_id)
            await _publish(tx, self.settings, status_id, edit=review.edit)
            if item is not None and item.open:
                await tx.moderation_queue.resolve(
                    item.id,
                    by_account_id=staff.account_id,
                    resolution="approve",
                    note=note,
                    at=now(),
                )
            author = await tx.accounts.get(status.account_id)
            await record(
                tx,
                staff,
                audit.STATUS_APPROVE,
                _status_target(status, author),
                reason=note,
            )

    async def reject(self, actor: Actor, status_id: int, reason: str) -> None:
        """Refuse a held post: it stays unpublished and the author is told why."""
        reason = _note(reason)
        if not reason:
            raise Invalid(
                "Validation failed: a reason is required",
                {"reason": [("ERR_BLANK", "can't be blank")]},
            )
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor)
            status, item = await _held(tx, staff, status_id)
            author = await tx.accounts.get(status.account_id)
            if author is None:
                raise NotFound()
            await tx.content_review.set_review_state(status_id, REJECTED)
            await _decide(tx, status_id, "rejected", reason, staff.account_id)
            if item is not None and item.open:
                await tx.moderation_queue.resolve(
                    item.id,
                    by_account_id=staff.account_id,
                    resolution="reject",
                    note=reason,
                    at=now(),
                )
            await send_warning(
                tx,
                staff,
                author,
                "none",
                f"Your post was not published: {reason}",
                status_ids=(status_id,),
            )
            await record(
                tx, staff, audit.STATUS_REJECT, _status_target(status, author), reason=reason
            )

    async def reviews(self, status_ids: list[int]) -> dict[int, StatusReview]:
        async with self.store.read() as tx:
            return await tx.content_review.reviews(status_ids)


async def _publish(
    tx: Transaction, settings: Settings, status_id: int, *, edit: bool = False
) -> None:
    status = await tx.statuses.get(status_id)
    author = await tx.accounts.get(status.account_id) if status is not None else None
    if status is None or author is None:
        return
    if edit:
        await publish_edit(tx, settings, status_id, status.text)
    else:
        await publish_status(tx, settings, status, author_local=author.local)


async def _held(tx: Transaction, staff: Staff, status_id: int) -> tuple[Status, QueueItem | None]:
    status = await tx.statuses.get(status_id)
    if status is None:
        raise NotFound()
    if staff.account_id is not None and staff.account_id == status.account_id:
        raise Forbidden("Another moderator decides about your own posts")
    if status.review_state != HELD:
        raise Conflict("This post is not waiting for review")
    return status, await tx.moderation_queue.get(status_id, for_update=True)


async def _decide(
    tx: Transaction, status_id: int, decision: str, note: str, by: int | None
) -> StatusReview:
    review = (await tx.content_review.reviews([status_id])).get(status_id)
    at = now()
    decided = StatusReview(
        status_id,
        review.verdict if review else Verdict.HOLD,
        review.reasons if review else (),
        at,
        review.score if review else None,
        decision=decision,
        decision_note=note,
        decided_by_account_id=by,
        decided_at=at,
        edit=review.edit if review else False,
    )
    await tx.content_review.save_review(decided)
    return decided


async def _open_item(tx: Transaction, status: Status) -> None:
    """The held post's item in the moderators' queue (its id is the post's); reopened when
    an edit holds the post again."""
    existing = await tx.moderation_queue.get(status.id, for_update=True)
    at = now()
    if existing is None:
        await tx.moderation_queue.add(
            QueueItem(
                id=status.id,
                kind=HELD_STATUS,
                status_id=status.id,
                target_account_id=status.account_id,
                state=OPEN,
                created_at=at,
                updated_at=at,
            )
        )
    elif not existing.open:
        await tx.moderation_queue.reopen(existing.id, at)


def _status_target(status: Status, author: Account | None) -> Target:
    name = f"post {status.id} by @{author.acct}" if author is not None else f"post {status.id}"
    return Target("status", status.id, name, status.account_id)


def _note(text: str) -> str:
    return text.strip()[:MAX_DECISION_NOTE]
