"""Loading statuses with everything needed to show them, in a fixed number of queries.

Whatever the number of ids: one query for the statuses and the originals they reblog, one
for the authors, one for mentions, one for tags, one for the viewer's favourites, reblogs,
pins, bookmarks and muted threads together, one for applications (plus polls and media,
and one for preview cards).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.posts import Application, Mention, Status, StatusView, ViewerState, Visibility
from godwit.storage.accounts import SqlAccounts
from godwit.storage.media import SqlMedia
from godwit.storage.poll_views import load_polls
from godwit.storage.preview_cards import SqlPreviewCards
from godwit.storage.schema import (
    accounts,
    conversation_mutes,
    favourites,
    mentions,
    oauth_apps,
    status_bookmarks,
    status_pins,
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
]


async def load_views(
    conn: AsyncConnection, ids: Sequence[int], viewer_id: int | None
) -> dict[int, StatusView]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    originals_of_wanted = select(statuses.c.reblog_of_id).where(
        statuses.c.id.in_(wanted), statuses.c.reblog_of_id.is_not(None)
    )
    # Quoted statuses come in the same query (of the wanted ones and of reblogged originals).
    quoted_by_wanted = select(statuses.c.quote_of_id).where(
        or_(statuses.c.id.in_(wanted), statuses.c.id.in_(originals_of_wanted)),
        statuses.c.quote_of_id.is_not(None),
    )
    rows = await conn.execute(
        select(*STATUS_COLUMNS).where(
            or_(
                statuses.c.id.in_(wanted),
                statuses.c.id.in_(originals_of_wanted),
                statuses.c.id.in_(quoted_by_wanted),
            )
        )
    )
    loaded = {row.id: status_from_row(row) for row in rows}
    if not loaded:
        return {}
    all_ids = sorted(loaded)
    authors = await SqlAccounts(conn).get_many(
        sorted({status.account_id for status in loaded.values()})
    )
    mentioned = await _mentions(conn, all_ids)
    tagged = await _tags(conn, all_ids)
    viewer = await _viewer_states(conn, all_ids, viewer_id)
    polls = await load_polls(conn, all_ids, viewer_id)
    media = await SqlMedia(conn).for_statuses(all_ids)  # one query
    cards = await SqlPreviewCards(conn).for_statuses(all_ids)  # one query
    applications = await _applications(
        conn, {s.application_id for s in loaded.values() if s.application_id is not None}
    )

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


async def _mentions(conn: AsyncConnection, status_ids: list[int]) -> dict[int, list[Mention]]:
    rows = await conn.execute(
        select(
            mentions.c.status_id,
            accounts.c.id,
            accounts.c.username,
            accounts.c.domain,
            accounts.c.url,
        )
        .join(accounts, accounts.c.id == mentions.c.account_id)
        .where(mentions.c.status_id.in_(status_ids))
        .order_by(mentions.c.status_id, accounts.c.username_key)
    )
    result: dict[int, list[Mention]] = {}
    for row in rows:
        acct = row.username if not row.domain else f"{row.username}@{row.domain}"
        result.setdefault(row.status_id, []).append(
            Mention(account_id=row.id, username=row.username, acct=acct, url=row.url)
        )
    return result


async def _tags(conn: AsyncConnection, status_ids: list[int]) -> dict[int, list[str]]:
    rows = await conn.execute(
        select(status_tags.c.status_id, tags.c.name)
        .join(tags, tags.c.id == status_tags.c.tag_id)
        .where(status_tags.c.status_id.in_(status_ids))
        .order_by(status_tags.c.status_id, tags.c.name)
    )
    result: dict[int, list[str]] = {}
    for row in rows:
        result.setdefault(row.status_id, []).append(row.name)
    return result


async def _viewer_states(
    conn: AsyncConnection, status_ids: list[int], viewer_id: int | None
) -> dict[int, ViewerState]:
    if viewer_id is None:
        return {}
    query = union_all(
        select(literal("f").label("kind"), favourites.c.status_id.label("status_id")).where(
            favourites.c.account_id == viewer_id, favourites.c.status_id.in_(status_ids)
        ),
        select(literal("r").label("kind"), statuses.c.reblog_of_id.label("status_id")).where(
            statuses.c.account_id == viewer_id, statuses.c.reblog_of_id.in_(status_ids)
        ),
        select(literal("p").label("kind"), status_pins.c.status_id.label("status_id")).where(
            status_pins.c.account_id == viewer_id, status_pins.c.status_id.in_(status_ids)
        ),
        select(literal("b").label("kind"), status_bookmarks.c.status_id.label("status_id")).where(
            status_bookmarks.c.account_id == viewer_id, status_bookmarks.c.status_id.in_(status_ids)
        ),
        select(literal("m").label("kind"), statuses.c.id.label("status_id"))
        .join(
            conversation_mutes,
            conversation_mutes.c.conversation_id
            == func.coalesce(statuses.c.conversation_id, statuses.c.id),
        )
        .where(conversation_mutes.c.account_id == viewer_id, statuses.c.id.in_(status_ids)),
    )
    flags: dict[int, set[str]] = {}
    for row in await conn.execute(query):
        flags.setdefault(row.status_id, set()).add(row.kind)
    return {
        status_id: ViewerState(
            favourited="f" in kinds,
            reblogged="r" in kinds,
            pinned="p" in kinds,
            bookmarked="b" in kinds,
            muted="m" in kinds,
        )
        for status_id, kinds in flags.items()
    }


async def _applications(conn: AsyncConnection, app_ids: set[int]) -> dict[int, Application]:
    if not app_ids:
        return {}
    rows = await conn.execute(
        select(oauth_apps.c.id, oauth_apps.c.name, oauth_apps.c.website).where(
            oauth_apps.c.id.in_(sorted(app_ids))
        )
    )
    return {row.id: Application(name=row.name, website=row.website or None) for row in rows}
