"""Turning status ids into what one viewer may see: the single read path for statuses.

Every endpoint that shows statuses goes through ``present_statuses``: it loads the views in a
bounded number of queries, then applies ``can_see`` with the viewer's follows and blocks
loaded in bulk (one query), so no list can leak a status the rules hide.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence

from godwit.domain.errors import NotFound
from godwit.domain.graph import ViewerRelations
from godwit.domain.posts import Audience, Status, StatusView, can_see
from godwit.ports.store import Transaction
from godwit.services.filtering import apply_filters


def _statuses_shown(view: StatusView) -> list[Status]:
    """The statuses a viewer must be allowed to see for ``view`` to be shown."""
    shown = [view.status]
    if view.reblog is not None:
        shown.append(view.reblog.status)
    return shown


def _quoted(view: StatusView) -> StatusView | None:
    """The status ``view`` shows as its quote (a reblog shows its original's quote)."""
    return (view.reblog or view).quote


def _mentioned(view: StatusView) -> set[int]:
    return {mention.account_id for mention in view.mentions}


def deciding_accounts(views: Iterable[StatusView]) -> tuple[set[int], set[int]]:
    """The accounts whose relations to a viewer decide what it is shown of ``views`` (the
    authors of the statuses, of reblogged originals and of quotes), and the remote ones
    among them (hidden when on a domain the viewer blocks)."""
    authors: set[int] = set()
    remote: set[int] = set()
    for view in views:
        for shown in (view, view.reblog, _quoted(view)):
            if shown is not None:
                authors.add(shown.account.id)
                if not shown.account.local:
                    remote.add(shown.account.id)
    return authors, remote


def shown_to(
    view: StatusView, viewer_id: int | None, relations: ViewerRelations, *, hide_muted: bool
) -> StatusView | None:
    """``view`` as the viewer may see it given how it stands to the deciding accounts, or
    None: a status hidden from the viewer, a reblog of one, or with ``hide_muted`` one by
    (or reblogging) an account the viewer mutes. A quote the viewer may not see is
    withheld."""

    def visible(status: Status, shown: StatusView) -> bool:
        if shown.account.suspended:
            return False  # a suspended account's posts are hidden, kept for the grace period
        audience = Audience(
            viewer_id=viewer_id,
            follows_author=status.account_id in relations.following,
            is_mentioned=viewer_id is not None and viewer_id in _mentioned(shown),
            blocked=status.account_id in relations.blocked,
        )
        return can_see(status, audience)

    if not visible(view.status, view):
        return None
    if view.reblog is not None and not visible(view.reblog.status, view.reblog):
        return None
    if hide_muted and any(s.account_id in relations.muted for s in _statuses_shown(view)):
        return None
    return _without_hidden_quote(view, visible)


async def present_statuses(
    tx: Transaction,
    ids: Sequence[int],
    viewer_id: int | None,
    *,
    context: str | None = None,
    drop_hidden: bool = True,
    hide_muted: bool = False,
) -> list[StatusView]:
    """The views of ``ids`` in the same order, without missing statuses and those the viewer
    may not see (a reblog is dropped when its original is hidden from the viewer). With a
    filter ``context`` (home, notifications, public, thread, account) the viewer's filters
    apply: "hide" drops a status (unless ``drop_hidden`` is false), and matches fill
    ``filtered``. With ``hide_muted``, statuses by accounts the viewer mutes, and reblogs
    of them, are left out too (lists do that; a status asked for by id is still shown)."""
    views = await tx.statuses.load_views(ids, viewer_id)
    if not views:
        return []
    relations = ViewerRelations()
    if viewer_id is not None:
        # Authors on a domain the viewer blocks are hidden as blocked ones: follows, blocks
        # either way and domain blocks of the page's remote authors come in one statement.
        authors, remote = deciding_accounts(views.values())
        if authors - {viewer_id}:
            relations = await tx.graph.viewer_relations(
                viewer_id, sorted(authors - {viewer_id}), sorted(remote)
            )
    result = []
    seen: set[int] = set()
    for status_id in ids:
        view = views.get(status_id)
        if view is None or status_id in seen:
            continue
        shown = shown_to(view, viewer_id, relations, hide_muted=hide_muted)
        if shown is not None:
            seen.add(status_id)
            result.append(shown)
    return await apply_filters(tx, result, viewer_id, context, drop_hidden=drop_hidden)


def _without_hidden_quote(
    view: StatusView, visible: Callable[[Status, StatusView], bool]
) -> StatusView:
    """``view`` with its quote (or its reblogged original's) withheld when the viewer may not
    see the quoted status: a quote never carries a post its reader could not open."""
    if view.reblog is not None:
        original = _without_hidden_quote(view.reblog, visible)
        return view if original is view.reblog else dataclasses.replace(view, reblog=original)
    if view.quote is None or visible(view.quote.status, view.quote):
        return view
    return dataclasses.replace(view, quote=None, quote_hidden=True)


async def present_status(
    tx: Transaction, status_id: int, viewer_id: int | None, *, context: str | None = None
) -> StatusView:
    """One status the viewer may see, or ``NotFound`` (hidden and missing look the same)."""
    # A status asked for by id is answered even when a "hide" filter matches it; its
    # ``filtered`` tells the client; lists (timelines, threads, notifications) drop them.
    shown = await present_statuses(tx, [status_id], viewer_id, context=context, drop_hidden=False)
    if not shown:
        raise NotFound()
    return shown[0]
