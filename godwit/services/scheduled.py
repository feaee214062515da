"""Scheduled statuses: kept as the parameters of the post, published by a delayed job
through the normal posting path (so fan-out and notifications happen at that time)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

from godwit.config import Settings
from godwit.domain.accounts import posting_defaults
from godwit.domain.errors import Forbidden, Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.domain.pagination import PageRequest
from godwit.domain.polls import PollRequest, validate_poll
from godwit.domain.posts import Visibility
from godwit.domain.scheduling import (
    MAX_SCHEDULED,
    MAX_SCHEDULED_PER_DAY,
    MIN_SCHEDULE_AHEAD,
    ScheduledStatus,
)
from godwit.domain.text import countable_length
from godwit.ports.store import Store, Transaction
from godwit.services.instance import max_status_chars
from godwit.services.statuses import PostRequest, StatusService

log = logging.getLogger("godwit.scheduled")

PUBLISH_JOB = "scheduled_status.publish"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(f"Validation failed: {message}", {field: [("ERR_INVALID", message)]})


def _params(post: PostRequest, visibility: str, application_id: int | None) -> dict[str, Any]:
    """The post in the shape of the ScheduledStatus entity's ``params``."""
    poll = post.poll
    return {
        "text": post.text,
        "spoiler_text": post.spoiler_text,
        "sensitive": post.sensitive,
        "visibility": visibility,
        "in_reply_to_id": post.in_reply_to_id,
        "language": post.language,
        "idempotency": post.idempotency_key,
        "quoted_status_id": str(post.quoted_status_id) if post.quoted_status_id else None,
        "poll": (
            {
                "options": list(poll.options),
                "expires_in": poll.expires_in,
                "multiple": poll.multiple,
                "hide_totals": poll.hide_totals,
            }
            if poll is not None
            else None
        ),
        "media_ids": [str(media_id) for media_id in post.media_ids] or None,
        "scheduled_at": None,
        "application_id": application_id or 0,
        "with_rate_limit": False,
    }


def _post(params: dict[str, Any], scheduled_id: int) -> PostRequest:
    poll = params.get("poll")
    return PostRequest(
        text=params.get("text") or "",
        spoiler_text=params.get("spoiler_text") or "",
        sensitive=params.get("sensitive"),
        visibility=params.get("visibility"),
        in_reply_to_id=params.get("in_reply_to_id"),
        language=params.get("language"),
        # Publishing twice (a job run again after a crash) gives the same status.
        idempotency_key=f"scheduled:{scheduled_id}",
        poll=(
            PollRequest(
                options=tuple(poll["options"]),
                expires_in=int(poll["expires_in"]),
                multiple=bool(poll["multiple"]),
                hide_totals=bool(poll["hide_totals"]),
            )
            if poll
            else None
        ),
        quoted_status_id=parse_id(params.get("quoted_status_id")),
        media_ids=tuple(
            media_id
            for media_id in (parse_id(raw) for raw in params.get("media_ids") or ())
            if media_id is not None
        ),
    )


class ScheduledStatusService:
    def __init__(self, store: Store, settings: Settings, statuses: StatusService) -> None:
        self.store = store
        self.settings = settings
        self.statuses = statuses

    def _check_time(self, scheduled_at: dt.datetime) -> dt.datetime:
        when = scheduled_at.astimezone(dt.UTC)
        if when < _now() + MIN_SCHEDULE_AHEAD:
            raise _invalid(
                "scheduled_at", "The scheduled date must be at least 5 minutes in the future"
            )
        return when

    async def _check_limits(self, tx: Transaction, account_id: int, when: dt.datetime) -> None:
        if await tx.scheduled_statuses.count(account_id) >= MAX_SCHEDULED:
            raise _invalid("scheduled_at", "You have exceeded the limit of scheduled statuses")
        if await tx.scheduled_statuses.count(account_id, on_day=when.date()) >= (
            MAX_SCHEDULED_PER_DAY
        ):
            raise _invalid(
                "scheduled_at", "You have exceeded the limit of scheduled statuses for that day"
            )

    async def schedule(
        self,
        account_id: int,
        post: PostRequest,
        scheduled_at: dt.datetime,
        application_id: int | None,
    ) -> ScheduledStatus:
        when = self._check_time(scheduled_at)
        # What can be checked now is checked now; the rest (a reply's parent still there…)
        # when it is published.
        if not post.text.strip() and not post.media_ids:
            raise _invalid("text", "Text can't be blank")
        if post.poll is not None:
            post = dataclasses.replace(post, poll=validate_poll(post.poll))
        if post.visibility is not None and Visibility.parse(post.visibility) is None:
            raise _invalid("visibility", "Visibility is not valid")
        async with self.store.write() as tx:
            limit = await max_status_chars(tx, self.settings)
            if countable_length(post.text.strip(), post.spoiler_text.strip()) > limit:
                raise _invalid("text", "Text character limit exceeded")
            await self._check_limits(tx, account_id, when)
            user = await tx.accounts.get_user_by_account(account_id)
            default_visibility = posting_defaults(user)[0] if user is not None else "public"
            params = _params(post, post.visibility or default_visibility, application_id)
            now = _now()
            created = await tx.scheduled_statuses.create(
                account_id, when, params, application_id, now
            )
            await tx.jobs.enqueue(
                PUBLISH_JOB,
                {"scheduled_status_id": created.id},
                delay_seconds=(when - now).total_seconds(),
            )
            return created

    async def _own(self, tx: Transaction, scheduled_id: int, account_id: int) -> ScheduledStatus:
        found = await tx.scheduled_statuses.get(scheduled_id)
        if found is None or found.account_id != account_id:
            raise NotFound()
        return found

    async def get(self, scheduled_id: int, account_id: int) -> ScheduledStatus:
        async with self.store.read() as tx:
            return await self._own(tx, scheduled_id, account_id)

    async def list(self, account_id: int, page: PageRequest) -> list[ScheduledStatus]:
        async with self.store.read() as tx:
            return await tx.scheduled_statuses.page(account_id, page)

    async def reschedule(
        self, scheduled_id: int, account_id: int, scheduled_at: dt.datetime
    ) -> ScheduledStatus:
        when = self._check_time(scheduled_at)
        async with self.store.write() as tx:
            found = await self._own(tx, scheduled_id, account_id)
            await tx.scheduled_statuses.reschedule(scheduled_id, when)
            # The job already queued for the old time finds the new time and does nothing.
            await tx.jobs.enqueue(
                PUBLISH_JOB,
                {"scheduled_status_id": scheduled_id},
                delay_seconds=(when - _now()).total_seconds(),
            )
            return dataclasses.replace(found, scheduled_at=when)

    async def delete(self, scheduled_id: int, account_id: int) -> None:
        async with self.store.write() as tx:
            await self._own(tx, scheduled_id, account_id)
            await tx.scheduled_statuses.delete(scheduled_id)

    async def handle_publish(self, payload: dict[str, Any]) -> None:
        scheduled_id = parse_id(payload.get("scheduled_status_id"))
        if scheduled_id is None:
            return
        async with self.store.read() as tx:
            found = await tx.scheduled_statuses.get(scheduled_id)
        if found is None or found.scheduled_at > _now():
            return  # published, deleted, or moved later (that time's job publishes it)
        try:
            await self.statuses.create(
                found.account_id,
                _post(found.params, scheduled_id),
                application_id=found.application_id,
            )
        except (Invalid, NotFound, Forbidden) as refused:
            # E.g. the parent was deleted meanwhile: dropped, as Mastodon does.
            log.info("scheduled status %s not published: %s", scheduled_id, refused)
        async with self.store.write() as tx:
            await tx.scheduled_statuses.delete(scheduled_id)
