"""The poll side of editing a status (called by StatusEditService inside its transaction).

See ``godwit.domain.poll_edits`` for the rules: the edit states the poll the status has
afterwards; changed options or ``multiple`` reset the votes; the end is recomputed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from godwit.domain.errors import Invalid
from godwit.domain.poll_edits import PollEdit, plan_poll_edit
from godwit.domain.polls import PollRequest, validate_poll
from godwit.domain.posts import StatusView
from godwit.ports.store import Transaction
from godwit.services.polls import attach_poll, schedule_expiry


async def plan(
    tx: Transaction,
    view: StatusView,
    wanted: PollRequest | None,
    now: dt.datetime,
    *,
    has_media: bool,
) -> PollEdit:
    """The change ``wanted`` makes to the status's poll, with the current poll locked (so
    that no vote lands between the plan and its application), or Invalid (422).
    ``has_media``: whether the status has media after the edit (a poll excludes them)."""
    if wanted is not None:
        wanted = validate_poll(wanted)
        if has_media:
            raise Invalid(
                "Validation failed: a status cannot have both a poll and media",
                {"poll": [("ERR_INVALID", "cannot be combined with media")]},
            )
    current = await tx.polls.lock(view.poll.poll.id) if view.poll is not None else None
    return plan_poll_edit(current, wanted, now)


async def apply(
    tx: Transaction, edit: PollEdit, *, status_id: int, account_id: int, now: dt.datetime
) -> None:
    """Store the planned change: add, change (resetting votes if planned) or remove."""
    if edit.wanted is None:
        if edit.current is not None:
            await tx.polls.delete(edit.current.id)
        return
    if edit.current is None:
        await attach_poll(
            tx, status_id=status_id, account_id=account_id, request=edit.wanted, now=now
        )
        return
    if not edit.changed or edit.expires_at is None:
        return
    changed = replace(
        edit.current,
        options=edit.wanted.options,
        multiple=edit.wanted.multiple,
        hide_totals=edit.wanted.hide_totals,
        expires_at=edit.expires_at,
    )
    await tx.polls.change(changed, reset_votes=edit.reset_votes)
    if changed.expires_at != edit.current.expires_at:
        await schedule_expiry(tx, changed, now)
