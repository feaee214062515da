"""Loading statuses with everything needed to show them, in a fixed number of queries.

Whatever the number of ids: one query for the statuses and the originals they reblog, one
for the authors, and one (built once) for everything else that is small: mentions, tags,
the viewer's favourites, reblogs, pins, bookmarks and muted threads, applications, and
which statuses have a poll, media or a preview card. Polls, media and cards are then read
(one query each) only when the page has any.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    BigInteger,
    CompoundSelect,
    String,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import BindParameter

from godwit.domain.posts import Application, Mention, Status, StatusView, ViewerState, Visibility
from godwit.storage.accounts import SqlAccounts
from godwit.storage.media import SqlMedia
from godwit.storage.poll_views import load_polls
from godwit.storage.preview_cards import SqlPreviewCards
from godwit.storage.schema import (
    accounts,
    conversation_mutes,
    favourites,
    media_attachments,
    mentions,
    oauth_apps,
    polls,
    preview_cards,
    status_bookmarks,
    status_pins,
    status_preview_cards,
    status_tags,
    statuses,
    tags,
)


def status_from_row(row: Row[Any]) -> Status:
    return Status(
        id=row.id,
        account_id=row.account_id,
        uri=row.uri,
        url=row.url,
        local=bool(row.local),
        text=row.text,
        content=row.content,
        spoiler_text=row.spoiler_text,
        sensitive=bool(row.sensitive),
        visibility=Visibility(row.visibility),
        language=row.language,
        in_reply_to_id=row.in_reply_to_id,
        in_reply_to_account_id=row.in_reply_to_account_id,
        reblog_of_id=row.reblog_of_id,
        created_at=row.created_at,
        edited_at=row.edited_at,
        application_id=row.application_id,
        replies_count=row.replies_count,
        reblogs_count=row.reblogs_count,
        favourites_count=row.favourites_count,
        quote_of_id=row.quote_of_id,
        review_state=row.review_state,
    )


STATUS_COLUMNS = [
    statuses.c.id,
    statuses.c.account_id,
    statuses.c.uri,
    statuses.c.url,
    statuses.c.local,
    statuses.c.text,
    statuses.c.content,
    statuses.c.spoiler_text,
    statuses.c.sensitive,
    statuses.c.visibility,
    statuses.c.language,
    statuses.c.in_reply_to_id,
    statuses.c.in_reply_to_account_id,
    statuses.c.reblog_of_id,
    statuses.c.created_at,
    statuses.c.edited_at,
    statuses.c.application_id,
    statuses.c.replies_count,
    statuses.c.reblogs_count,
    statuses.c.favourites_count,
    statuses.c.quote_of_id,
    statuses.c.review_state,
]


_WANTED: BindParameter[Any] = bindparam("wanted", expanding=True)


def _statuses_with_originals() -> Any:
    """The wanted statuses, the originals they reblog, and the statuses both quote.

    The ids are gathered first and then read by primary key: with the three sets as one
    ``OR`` of ``IN`` lists PostgreSQL read every row of ``statuses`` (350-700 ms a page at
    400,000 posts); an ``IN`` over one ``UNION ALL`` becomes a join on the primary key."""
    originals_of_wanted = select(statuses.c.reblog_of_id).where(
        statuses.c.id.in_(_WANTED), statuses.c.reblog_of_id.is_not(None)
    )
    quoting = statuses.alias("quoting")
    wanted_and_originals = union_all(
        select(statuses.c.id).where(statuses.c.id.in_(_WANTED)), originals_of_wanted
    ).subquery()
    quoted = select(quoting.c.quote_of_id).where(
        quoting.c.id.in_(select(wanted_and_originals.c.id)),
        quoting.c.quote_of_id.is_not(None),
    )
    every_id = union_all(select(wanted_and_originals.c.id), quoted).subquery()
    return select(*STATUS_COLUMNS).where(statuses.c.id.in_(select(every_id.c.id)))


async def load_views(
    conn: AsyncConnection, ids: Sequence[int], viewer_id: int | None
) -> dict[int, StatusView]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await conn.execute(_STATUSES_WITH_ORIGINALS, {"wanted": wanted})
    loaded = {row.id: status_from_row(row) for row in rows}
    if not loaded:
        return {}
    all_ids = sorted(loaded)
    authors = await SqlAccounts(conn).get_many(
        sorted({status.account_id for status in loaded.values()})
    )
    app_ids = {s.application_id for s in loaded.values() if s.application_id is not None}
    facts = await _facts(conn, all_ids, viewer_id, app_ids)
    mentioned, tagged = facts.mentions, facts.tags
    viewer, applications = facts.viewer, facts.applications
    polls = await load_polls(conn, sorted(facts.with_poll), viewer_id)
    media = await SqlMedia(conn).for_statuses(sorted(facts.with_media))
    cards = await SqlPreviewCards(conn).for_statuses(sorted(facts.with_card))

    def view(status: Status, *, quoting: bool = True) -> StatusView | None:
        author = authors.get(status.account_id)
        if author is None:
            return None
        if author.sensitized and not status.sensitive:
            status = replace(status, sensitive=True)  # a moderator forced its media sensitive
        reblog = None
        if status.reblog_of_id is not None:
            original = loaded.get(status.reblog_of_id)
            reblog = view(original) if original is not None else None
            if reblog is None:
                return None  # the original is gone: the reblog cannot be shown
        return StatusView(
            status=status,
            account=author,
            mentions=tuple(mentioned.get(status.id, ())),
            tags=tuple(tagged.get(status.id, ())),
            reblog=reblog,
            viewer=viewer.get(status.id, ViewerState()),
            application=applications.get(status.application_id or 0),
            viewer_id=viewer_id,
            poll=polls.get(status.id),
            media_attachments=tuple(media.get(status.id, ())),
            card=cards.get(status.id),
            quote=quoted(status) if quoting else None,
        )

    def quoted(status: Status) -> StatusView | None:
        # One level only: a quoted status shows its own quote as an id (ShallowQuote).
        original = loaded.get(status.quote_of_id) if status.quote_of_id is not None else None
        return view(original, quoting=False) if original is not None else None

    result: dict[int, StatusView] = {}
    for status_id in wanted:
        status = loaded.get(status_id)
        shown = view(status) if status is not None else None
        if shown is not None:
            result[status_id] = shown
    return result


_IDS: BindParameter[Any] = bindparam("status_ids", expanding=True)
_VIEWERS: BindParameter[Any] = bindparam("viewer_ids", expanding=True)
_APPS: BindParameter[Any] = bindparam("app_ids", expanding=True)
_NO_ID = cast(null(), BigInteger)
_NO_TEXT = cast(null(), String)


def _row(kind: str, status_id: Any, ref_id: Any = _NO_ID, name: Any = _NO_TEXT, **more: Any) -> Any:
    """One branch of the facts union: (kind, status_id, ref_id, name, domain, url, sort)."""
    return (
        literal(kind).label("kind"),
        status_id.label("status_id"),
        ref_id.label("ref_id"),
        name.label("name"),
        more.get("domain", _NO_TEXT).label("domain"),
        more.get("url", _NO_TEXT).label("url"),
        more.get("sort", _NO_TEXT).label("sort"),
    )


def _viewer_parts() -> list[Any]:
    """The viewers' favourites, reblogs, pins, bookmarks and muted threads ("f", "r", "p",
    "b", "m"), with the viewer as ``ref_id``."""
    return [
        select(*_row("f", favourites.c.status_id, favourites.c.account_id)).where(
            favourites.c.account_id.in_(_VIEWERS), favourites.c.status_id.in_(_IDS)
        ),
        select(*_row("r", statuses.c.reblog_of_id, statuses.c.account_id)).where(
            statuses.c.account_id.in_(_VIEWERS), statuses.c.reblog_of_id.in_(_IDS)
        ),
        select(*_row("p", status_pins.c.status_id, status_pins.c.account_id)).where(
            status_pins.c.account_id.in_(_VIEWERS), status_pins.c.status_id.in_(_IDS)
        ),
        select(*_row("b", status_bookmarks.c.status_id, status_bookmarks.c.account_id)).where(
            status_bookmarks.c.account_id.in_(_VIEWERS), status_bookmarks.c.status_id.in_(_IDS)
        ),
        select(*_row("m", statuses.c.id, conversation_mutes.c.account_id))
        .join(
            conversation_mutes,
            conversation_mutes.c.conversation_id
            == func.coalesce(statuses.c.conversation_id, statuses.c.id),
        )
        .where(conversation_mutes.c.account_id.in_(_VIEWERS), statuses.c.id.in_(_IDS)),
    ]


def _facts_query(*, with_viewer: bool) -> CompoundSelect[Any]:
    """Mentions ("@"), tags ("#"), applications ("a", by ref_id), which statuses have a poll
    ("P"), shown media ("M") or a usable card ("C"), and with a viewer what they did to
    them (``_viewer_parts``)."""
    parts = [
        select(
            *_row(
                "@",
                mentions.c.status_id,
                accounts.c.id,
                accounts.c.username,
                domain=accounts.c.domain,
                url=accounts.c.url,
                sort=accounts.c.username_key,
            )
        )
        .join(accounts, accounts.c.id == mentions.c.account_id)
        .where(mentions.c.status_id.in_(_IDS)),
        select(*_row("#", status_tags.c.status_id, name=tags.c.name, sort=tags.c.name))
        .join(tags, tags.c.id == status_tags.c.tag_id)
        .where(status_tags.c.status_id.in_(_IDS)),
        select(
            *_row("a", _NO_ID, oauth_apps.c.id, oauth_apps.c.name, url=oauth_apps.c.website)
        ).where(oauth_apps.c.id.in_(_APPS)),
        select(*_row("P", polls.c.status_id)).where(polls.c.status_id.in_(_IDS)),
        select(*_row("M", media_attachments.c.status_id))
        .where(media_attachments.c.status_id.in_(_IDS), media_attachments.c.detached.is_(False))
        .distinct(),
        select(*_row("C", status_preview_cards.c.status_id))
        .join(preview_cards, preview_cards.c.id == status_preview_cards.c.card_id)
        .where(status_preview_cards.c.status_id.in_(_IDS), preview_cards.c.usable.is_(True)),
    ]
    if with_viewer:
        parts += _viewer_parts()
    # In the order the separate queries had: mentions by username, tags by name.
    return union_all(*parts).order_by(
        literal_column("status_id"), literal_column("sort"), literal_column("ref_id")
    )


_STATUSES_WITH_ORIGINALS = _statuses_with_originals()
_FACTS_FOR_VIEWER = _facts_query(with_viewer=True)
_FACTS_ANONYMOUS = _facts_query(with_viewer=False)


@dataclass
class _Facts:
    mentions: dict[int, list[Mention]] = field(default_factory=dict)
    tags: dict[int, list[str]] = field(default_factory=dict)
    viewer: dict[int, ViewerState] = field(default_factory=dict)
    applications: dict[int, Application] = field(default_factory=dict)
    with_poll: set[int] = field(default_factory=set)
    with_media: set[int] = field(default_factory=set)
    with_card: set[int] = field(default_factory=set)


async def _facts(
    conn: AsyncConnection, status_ids: list[int], viewer_id: int | None, app_ids: set[int]
) -> _Facts:
    params: dict[str, Any] = {"status_ids": status_ids, "app_ids": sorted(app_ids)}
    if viewer_id is not None:
        params["viewer_ids"] = [viewer_id]
    query = _FACTS_ANONYMOUS if viewer_id is None else _FACTS_FOR_VIEWER
    facts = _Facts()
    flags: dict[int, set[str]] = {}
    for row in await conn.execute(query, params):
        kind = row.kind
        if kind == "@":
            acct = row.name if not row.domain else f"{row.name}@{row.domain}"
            mention = Mention(account_id=row.ref_id, username=row.name, acct=acct, url=row.url)
            facts.mentions.setdefault(row.status_id, []).append(mention)
        elif kind == "#":
            facts.tags.setdefault(row.status_id, []).append(row.name)
        elif kind == "a":
            facts.applications[row.ref_id] = Application(name=row.name, website=row.url or None)
        elif kind == "P":
            facts.with_poll.add(row.status_id)
        elif kind == "M":
            facts.with_media.add(row.status_id)
        elif kind == "C":
            facts.with_card.add(row.status_id)
        else:
            flags.setdefault(row.status_id, set()).add(kind)
    facts.viewer = {status_id: _state(kinds) for status_id, kinds in flags.items()}
    return facts


def _state(kinds: set[str]) -> ViewerState:
    return ViewerState(
        favourited="f" in kinds,
        reblogged="r" in kinds,
        pinned="p" in kinds,
        bookmarked="b" in kinds,
        muted="m" in kinds,
    )


_VIEWER_STATES = union_all(*_viewer_parts())


async def load_viewer_states(
    conn: AsyncConnection, status_ids: Sequence[int], viewer_ids: Sequence[int]
) -> dict[int, dict[int, ViewerState]]:
    """What each viewer did to each status (viewer id -> status id -> state), in one
    statement; statuses a viewer did nothing to are absent."""
    if not status_ids or not viewer_ids:
        return {}
    params = {"status_ids": sorted(set(status_ids)), "viewer_ids": sorted(set(viewer_ids))}
    flags: dict[int, dict[int, set[str]]] = {}
    for row in await conn.execute(_VIEWER_STATES, params):
        flags.setdefault(row.ref_id, {}).setdefault(row.status_id, set()).add(row.kind)
    return {
        viewer: {status_id: _state(kinds) for status_id, kinds in states.items()}
        for viewer, states in flags.items()
    }
