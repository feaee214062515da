"""Publishing a local post: everything that makes it reach others.

Run in the transaction that posts it, or, when the moderation pipeline screened or held it
first, in the one that lets it through (the review job, or a moderator's approval): a held
post gets no fan-out, no notifications, no hashtag delivery and no stream event until then,
and then all of them, as if it had just been posted.
"""

from __future__ import annotations

from godwit.config import Settings
from godwit.domain.posts import Status, Visibility
from godwit.domain.streaming import status_events
from godwit.domain.text import parse
from godwit.domain.timelines import entry_key
from godwit.ports.store import Transaction
from godwit.services.conversations import CONVERSATION_JOB
from godwit.services.preview_cards import request_preview_card
from godwit.services.quotes import notify_quoted
from godwit.services.tags import TAG_FANOUT_JOB

FANOUT_JOB = "status.fanout"
NOTIFY_JOB = "status.notify"
UPDATE_NOTIFY_JOB = "status.update_notify"
EDIT_FANOUT_JOB = "status.edit_fanout"


async def publish_status(
    tx: Transaction, settings: Settings, status: Status, *, author_local: bool
) -> None:
    status_id = status.id
    tags = parse(status.text).tags
    if author_local:
        # The author's own home has it as soon as the post commits (the fan-out job writes
        # the same row again, which is ignored): the page after posting shows it.
        await tx.feeds.add(
            [status.account_id],
            status_id,
            entry_key(status_id, status.reblog_of_id),
            status.account_id,
        )
    await tx.jobs.enqueue(FANOUT_JOB, {"status_id": status_id})
    await tx.jobs.enqueue(NOTIFY_JOB, {"status_id": status_id})
    if tags and status.visibility is Visibility.PUBLIC:
        # Members following one of its tags get it in their home feed (tier 3).
        await tx.jobs.enqueue(TAG_FANOUT_JOB, {"status_id": status_id})
    if status.quote_of_id is not None:
        quoted = await tx.statuses.get(status.quote_of_id)
        if quoted is not None:
            await notify_quoted(tx, quoted, status_id, status.account_id)
    if status.visibility is Visibility.DIRECT:
        await tx.jobs.enqueue(CONVERSATION_JOB, {"status_id": status_id})
    await request_preview_card(tx, settings, status_id, status.text)
    tx.events.emit(
        *status_events(
            status_id,
            author_local=author_local,
            public=status.visibility is Visibility.PUBLIC,
            replies_to_other=status.in_reply_to_account_id not in (None, status.account_id),
            tags=tags,
        )
    )


async def publish_edit(tx: Transaction, settings: Settings, status_id: int, text: str) -> None:
    """An edit of a published post: those who interacted are told, streams updated, the
    preview card refreshed."""
    await tx.jobs.enqueue(UPDATE_NOTIFY_JOB, {"status_id": status_id})
    await tx.jobs.enqueue(EDIT_FANOUT_JOB, {"status_id": status_id})  # streams
    await request_preview_card(tx, settings, status_id, text, edited=True)
