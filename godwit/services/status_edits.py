"""Editing one's statuses, and reading their history and source.

An edit replaces the text in place (re-rendered, mentions and tags re-resolved) and keeps
every version in ``status_edits``: the original, then one revision per edit. Newly
mentioned accounts are notified at once; accounts that reblogged the status get an
"update" notification from a job, as there may be many of them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from godwit.config import Settings
from godwit.domain.content_review import Verdict
from godwit.domain.editing import StatusChange, StatusRevision, StatusSource
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.domain.media import MediaAttachment, MediaEdit, MediaSnapshot
from godwit.domain.pagination import PageRequest
from godwit.domain.polls import PollRequest
from godwit.domain.posting import normalise_language
from godwit.domain.posts import StatusView
from godwit.domain.text import countable_length, parse, render
from godwit.ports.store import Store, Transaction
from godwit.services import media_edits, poll_edits
from godwit.services.content_review import ContentReviewService
from godwit.services.instance import max_status_chars
from godwit.services.notifying import notify
from godwit.services.presenting import present_status
from godwit.services.publication import publish_edit
from godwit.services.status_reactions import current_time, invalid_field
from godwit.services.statuses import StatusService

log = logging.getLogger(__name__)
REBLOGGER_BATCH = 200  # accounts notified per query page in the update job


@dataclass(frozen=True, slots=True)
class EditRequest:
    """The fields a client sent (None: not sent, so unchanged)."""

    text: str | None = None
    spoiler_text: str | None = None
    sensitive: bool | None = None
    language: str | None = None
    # Unlike the fields above, the poll is the one the status has after the edit, as in
    # Mastodon: None removes a poll the status had (clients always send the poll they keep).
    poll: PollRequest | None = None
    # media_ids (None: not sent, attachments unchanged) and media_attributes.
    media: MediaEdit = field(default_factory=MediaEdit)


@dataclass(frozen=True, slots=True)
class History:
    view: StatusView  # the status now, for the author shown on each revision
    revisions: list[StatusRevision]
    # The attachments the revisions name (their snapshots hold the descriptions then).
    media: dict[int, MediaAttachment] = field(default_factory=dict)


class StatusEditService:
    def __init__(
        self, store: Store, settings: Settings, review: ContentReviewService | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        # Mentions resolve exactly as when posting.
        self._posting = StatusService(store, settings)
        # An edit goes through the moderation pipeline as a new post does.
        self.review = review

    async def _own(self, tx: Transaction, status_id: int, account_id: int) -> StatusView:
        """One's own status (not a reblog); anyone else's is not found, as in Mastodon."""
        views = await tx.statuses.load_views([status_id], account_id)
        view = views.get(status_id)
        if view is None or view.status.account_id != account_id or view.reblog is not None:
            raise NotFound()
        return view

    async def edit(self, status_id: int, account_id: int, request: EditRequest) -> StatusView:
        async with self.store.write() as tx:
            view = await self._own(tx, status_id, account_id)
            current = view.status
            media_edit = await media_edits.plan(tx, view, account_id, request.media)
            text = current.text if request.text is None else request.text.strip()
            spoiler_text = (
                current.spoiler_text if request.spoiler_text is None else request.spoiler_text
            ).strip()
            if not text and not media_edit.after:  # a post may be only media
                raise Invalid(
                    "Validation failed: Text can't be blank",
                    {"text": [("ERR_BLANK", "can't be blank")]},
                )
            limit = await max_status_chars(tx, self.settings)
            if countable_length(text, spoiler_text) > limit:
                raise Invalid(
                    f"Validation failed: Text character limit of {limit} exceeded",
                    {"text": [("ERR_TOO_LONG", f"character limit of {limit} exceeded")]},
                )
            language = current.language
            if request.language:
                language = normalise_language(request.language)
                if language is None:
                    raise invalid_field("language", "is not a valid language code")
            sensitive = current.sensitive
            if request.sensitive is not None or request.spoiler_text is not None:
                sensitive = bool(request.sensitive) or bool(spoiler_text)
            now = current_time()
            poll_edit = await poll_edits.plan(
                tx, view, request.poll, now, has_media=bool(media_edit.after)
            )
            unchanged = (
                not poll_edit.changed
                and not media_edit.changed
                and (text, spoiler_text, sensitive, language)
                == (current.text, current.spoiler_text, current.sensitive, current.language)
            )
            if unchanged:  # no revision for an edit that changes nothing, as in Mastodon
                return await present_status(tx, status_id, account_id)
            targets, mentioned_ids = await self._posting.resolve_mentions(tx, text)
            screening = None
            if self.review is not None and current.published:
                author = await tx.accounts.get(account_id)
                assert author is not None
                screening = await self.review.screen(
                    tx, author=author, text=text, spoiler_text=spoiler_text
                )
                if screening.decision.verdict is Verdict.LABEL and not spoiler_text:
                    spoiler_text, sensitive = screening.decision.label, True
            before = await tx.statuses.mentioned_ids([status_id])
            await tx.status_edits.apply(
                StatusChange(
                    status_id=status_id,
                    text=text,
                    content=render(text, mentions=targets, base_url=self.settings.base_url),
                    spoiler_text=spoiler_text,
                    sensitive=sensitive,
                    language=language,
                    edited_at=now,
                    mentioned_account_ids=tuple(mentioned_ids),
                    tags=parse(text).tags,
                    poll_options=poll_edit.options_after,
                    previous_poll_options=view.poll.poll.options if view.poll else None,
                    media=media_edit.snapshots_after,
                    previous_media=media_edit.snapshots_before,
                )
            )
            await media_edits.apply(tx, media_edit)
            await poll_edits.apply(
                tx, poll_edit, status_id=status_id, account_id=account_id, now=now
            )
            if not current.published:
                # Still unpublished (held, pending or rejected): nothing reaches anyone yet.
                return await present_status(tx, status_id, account_id)
            if screening is not None and screening.review_state is not None:
                # Screened again: hidden from everyone but the author until let through,
                # then published as an edit (content_review.publish_edit).
                await tx.content_review.set_review_state(status_id, screening.review_state)
                edited = await tx.statuses.get(status_id)
                assert edited is not None
                assert self.review is not None
                await self.review.record_screening(tx, edited, screening, edit=True)
                return await present_status(tx, status_id, account_id)
            for new_mention in sorted(set(mentioned_ids) - before.get(status_id, set())):
                await notify(
                    tx,
                    recipient_id=new_mention,
                    from_account_id=account_id,
                    type="mention",
                    status_id=status_id,
                )
            await publish_edit(tx, self.settings, status_id, text)
            return await present_status(tx, status_id, account_id)

    async def history(self, status_id: int, viewer_id: int | None) -> History:
        """Every version, oldest first; a status never edited has one, itself."""
        async with self.store.read() as tx:
            view = await present_status(tx, status_id, viewer_id)
            if view.reblog is not None:
                view = view.reblog
            revisions = await tx.status_edits.history(view.status.id)
            if not revisions:
                status = view.status
                revisions = [
                    StatusRevision(
                        text=status.text,
                        content=status.content,
                        spoiler_text=status.spoiler_text,
                        sensitive=status.sensitive,
                        created_at=status.created_at,
                        poll_options=view.poll.poll.options if view.poll else None,
                        media=tuple(MediaSnapshot.of(media) for media in view.media_attachments),
                    )
                ]
            named = sorted({snapshot.id for revision in revisions for snapshot in revision.media})
            media = await tx.media.get_many(named)
            return History(view=view, revisions=revisions, media=media)

    async def source(self, status_id: int, account_id: int) -> StatusSource:
        async with self.store.read() as tx:
            status = (await self._own(tx, status_id, account_id)).status
            return StatusSource(id=status.id, text=status.text, spoiler_text=status.spoiler_text)

    async def handle_update_notify(self, payload: dict[str, Any]) -> None:
        """The "update" notification to every account that reblogged an edited status.
        Idempotent: notify() never stores a duplicate."""
        status_id = parse_id(payload.get("status_id"))
        if status_id is None:
            log.warning("status.update_notify with a bad payload: %r", payload)
            return
        async with self.store.write() as tx:
            status = await tx.statuses.get(status_id)
            if status is None:
                return  # deleted since
            page = PageRequest(limit=REBLOGGER_BATCH)
            while True:
                rows = await tx.statuses.reblogged_by(status_id, page)
                for _, reblogger_id in rows:
                    await notify(
                        tx,
                        recipient_id=reblogger_id,
                        from_account_id=status.account_id,
                        type="update",
                        status_id=status_id,
                    )
                if len(rows) < REBLOGGER_BATCH:
                    return
                page = PageRequest(limit=REBLOGGER_BATCH, max_id=rows[-1][0])
