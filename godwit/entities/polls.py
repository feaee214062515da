"""The Poll entity, as Mastodon's API shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from godwit.domain.polls import PollView
from godwit.entities.common import iso


def render_poll(view: PollView, viewer_id: int | None) -> dict[str, Any]:
    """``voted`` and ``own_votes`` only for a member (the author counts as having voted, as
    in Mastodon); per-option counts stay hidden until the end when ``hide_totals`` is set,
    except to the author."""
    poll = view.poll
    expired = poll.expired(dt.datetime.now(dt.UTC))
    own_poll = viewer_id is not None and viewer_id == poll.account_id
    show_totals = expired or not poll.hide_totals or own_poll
    entity: dict[str, Any] = {
        "id": str(poll.id),
        "expires_at": iso(poll.expires_at),
        "expired": expired,
        "multiple": poll.multiple,
        "votes_count": poll.votes_count,
        # Mastodon counts voters only for multiple-choice polls (votes == voters otherwise).
        "voters_count": poll.voters_count if poll.multiple else None,
        "options": [
            {"title": title, "votes_count": count if show_totals else None}
            for title, count in zip(poll.options, poll.tallies, strict=True)
        ],
        "emojis": [],
    }
    if viewer_id is not None:
        own_votes = list(view.own_votes or ())
        entity["voted"] = own_poll or bool(own_votes)
        entity["own_votes"] = own_votes
    return entity


def render_revision_poll(options: Sequence[str]) -> dict[str, Any]:
    """The poll of a StatusEdit: only its options as they were at that revision."""
    return {"options": [{"title": title} for title in options]}
