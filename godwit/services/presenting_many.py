"""One status for many readers at once: what each may see of it, in a fixed number of queries.

A streamed status goes to every open stream that carries it, and each must get it as its
own reader may see it now. ``present_statuses`` for each reader would cost a few queries per
reader; here the view is loaded once, without a viewer, and what differs between readers
(what they did to the status, their poll votes, how they stand to its authors, their
filters, their exclusive lists) comes in one query each for all of them. Each reader's
answer is then what ``present_statuses`` (with ``hide_muted``) would give them, through the
same ``shown_to`` and ``filter_views`` rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from godwit.domain.filters import Filter
from godwit.domain.graph import ViewerRelations
from godwit.domain.posts import StatusView, ViewerState
from godwit.ports.store import Transaction
from godwit.services.filtering import filter_views, in_context
from godwit.services.presenting import deciding_accounts, shown_to


@dataclass(frozen=True, slots=True)
class Reader:
    """Who asks, and where the status is shown: a filter ``context`` (None: no filters),
    and for a ``home`` stream, its author's posts are kept out when the reader has the
    author in an exclusive list (as the home timeline does)."""

    viewer_id: int | None
    context: str | None = None
    home: bool = False


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _parts(view: StatusView) -> list[StatusView]:
    """The view and those nested in it: the reblogged original, quotes."""
    parts = [view]
    for nested in (view.reblog, view.quote):
        if nested is not None:
            parts += _parts(nested)
    return parts


def _personal(
    view: StatusView,
    viewer_id: int,
    states: Mapping[int, ViewerState],
    votes: Mapping[int, tuple[int, ...]],
) -> StatusView:
    """An anonymous view as loaded for ``viewer_id``."""
    status_id = view.status.id
    poll = view.poll
    if poll is not None:
        poll = replace(poll, own_votes=votes.get(status_id, ()))
    reblog, quote = view.reblog, view.quote
    return replace(
        view,
        viewer=states.get(status_id, ViewerState()),
        viewer_id=viewer_id,
        poll=poll,
        reblog=_personal(reblog, viewer_id, states, votes) if reblog is not None else None,
        quote=_personal(quote, viewer_id, states, votes) if quote is not None else None,
    )


async def present_to_readers(
    tx: Transaction, status_id: int, readers: Sequence[Reader]
) -> list[StatusView | None]:
    """For each reader in order, the status as it may see it, or None (missing, hidden from
    it, by or reblogging an account it mutes, matched by a "hide" filter in its context,
    or for ``home`` by an author in one of its exclusive lists)."""
    base = (await tx.statuses.load_views([status_id], None)).get(status_id)
    if base is None:
        return [None] * len(readers)
    viewers = sorted({reader.viewer_id for reader in readers if reader.viewer_id is not None})
    parts = _parts(base)
    ids = sorted({part.status.id for part in parts})
    polled = sorted({part.status.id for part in parts if part.poll is not None})
    authors, remote = deciding_accounts([base])
    author = base.account.id
    filtering = sorted({r.viewer_id for r in readers if r.viewer_id is not None and r.context})
    at_home = sorted({r.viewer_id for r in readers if r.home and r.viewer_id not in (None, author)})
    now = _now()
    states: dict[int, dict[int, ViewerState]] = {}
    votes: dict[int, dict[int, tuple[int, ...]]] = {}
    relations: dict[int, ViewerRelations] = {}
    filters: dict[int, list[Filter]] = {}
    excluded: set[int] = set()
    if viewers:
        states = await tx.statuses.viewers_states(ids, viewers)
        votes = await tx.polls.votes_of(polled, viewers) if polled else {}
        relations = await tx.graph.viewers_relations(viewers, sorted(authors), sorted(remote))
    if filtering:
        filters = await tx.filters.active_for_many(filtering, now)
    if at_home:
        excluded = await tx.lists.exclusive_listers(at_home, author)

    def answer(reader: Reader) -> StatusView | None:
        viewer_id = reader.viewer_id
        if viewer_id is None:
            return shown_to(base, None, ViewerRelations(), hide_muted=True)
        if reader.home and viewer_id in excluded:
            return None
        view = _personal(base, viewer_id, states.get(viewer_id, {}), votes.get(viewer_id, {}))
        relation = relations.get(viewer_id, ViewerRelations())
        shown = shown_to(view, viewer_id, relation, hide_muted=True)
        if shown is None or reader.context is None:
            return shown
        active = in_context(filters.get(viewer_id, ()), reader.context, now)
        kept = filter_views([shown], viewer_id, active)
        return kept[0] if kept else None

    return [answer(reader) for reader in readers]
