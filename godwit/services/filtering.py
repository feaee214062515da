"""The context-aware filter step of the read path (called by ``present_statuses``).

The viewer's active filters are loaded once per transaction (one query, remembered by the
repository), narrowed to the context the statuses are shown in, and matched in memory:
"hide" drops a status, "warn" and "blur" attach the matches as ``filtered``. With
``EVERY_CONTEXT`` (statuses fetched by id, for a client to show wherever it likes) every
active filter applies, whatever its contexts, as Mastodon's ``filtered`` always does: the
client matches each result's ``filter.context`` against where it shows the status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import replace

from godwit.domain.filters import (
    Filter,
    applies_in,
    hides,
    is_active,
    match_status,
    searchable_text,
)
from godwit.domain.posts import StatusView
from godwit.ports.store import Transaction

EVERY_CONTEXT = "*"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _extra_text(view: StatusView) -> Iterator[str]:
    """Poll options and media descriptions, when the view carries them (as Mastodon's
    searchable text does). Read defensively: media arrive in another slice's field."""
    if view.poll is not None:
        yield "\n\n".join(view.poll.poll.options)
    for attachment in getattr(view, "media_attachments", ()):
        description = getattr(attachment, "description", None)
        if isinstance(description, str) and description:
            yield description


def in_context(filters: Sequence[Filter], context: str, now: dt.datetime) -> list[Filter]:
    """The active filters among ``filters`` that apply in ``context``."""
    return [
        flt
        for flt in filters
        if (is_active(flt, now) if context == EVERY_CONTEXT else applies_in(flt, context, now))
    ]


async def apply_filters(
    tx: Transaction,
    views: Sequence[StatusView],
    viewer_id: int | None,
    context: str | None,
    *,
    drop_hidden: bool = True,
) -> list[StatusView]:
    """``views`` without those a "hide" filter matches (when ``drop_hidden``), the others
    with ``filtered`` set. Nothing changes for anonymous viewers or without a context."""
    if viewer_id is None or context is None or not views:
        return list(views)
    now = _now()
    active = in_context(await tx.filters.active_for(viewer_id, now), context, now)
    return filter_views(views, viewer_id, active, drop_hidden=drop_hidden)


def filter_views(
    views: Sequence[StatusView],
    viewer_id: int,
    active: Sequence[Filter],
    *,
    drop_hidden: bool = True,
) -> list[StatusView]:
    """``apply_filters`` with the viewer's filters for the context already chosen."""
    if not active:
        return list(views)
    shown = []
    for view in views:
        proper = view.reblog if view.reblog is not None else view
        if viewer_id in (view.status.account_id, proper.status.account_id):
            shown.append(view)  # one's own posts are never filtered, as in Mastodon
            continue
        text = searchable_text(
            proper.status.spoiler_text, proper.status.content, _extra_text(proper)
        )
        matches = tuple(match_status(active, text, [view.status.id, proper.status.id]))
        if not matches:
            shown.append(view)
        elif not (drop_hidden and hides(matches)):
            reblog = replace(view.reblog, filtered=matches) if view.reblog is not None else None
            shown.append(replace(view, filtered=matches, reblog=reblog))
    return shown
