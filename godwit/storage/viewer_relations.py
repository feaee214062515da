"""The read path's one question to the graph: how one viewer stands to a page's authors.

Follows, blocks either way, unexpired mutes among some accounts, and the remote ones on a
domain the viewer blocks, in one statement built once (its lists are expanding binds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, bindparam, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import BindParameter

from godwit.domain.graph import ViewerRelations
from godwit.storage.schema import account_domain_blocks, accounts, blocks, follows, mutes


def active_mute(now: dt.datetime | BindParameter[Any]) -> ColumnElement[bool]:
    return or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > now)


_VIEWER: BindParameter[Any] = bindparam("viewer_id")
_AMONG: BindParameter[Any] = bindparam("among", expanding=True)
_REMOTE: BindParameter[Any] = bindparam("remote", expanding=True)
_NOW: BindParameter[Any] = bindparam("now", type_=mutes.c.expires_at.type)
_VIEWER_RELATIONS = union_all(
    select(literal("f").label("kind"), follows.c.target_account_id.label("other")).where(
        follows.c.account_id == _VIEWER, follows.c.target_account_id.in_(_AMONG)
    ),
    select(literal("b").label("kind"), blocks.c.target_account_id.label("other")).where(
        blocks.c.account_id == _VIEWER, blocks.c.target_account_id.in_(_AMONG)
    ),
    select(literal("b").label("kind"), blocks.c.account_id.label("other")).where(
        blocks.c.target_account_id == _VIEWER, blocks.c.account_id.in_(_AMONG)
    ),
    select(literal("b").label("kind"), accounts.c.id.label("other"))
    .join(account_domain_blocks, account_domain_blocks.c.domain == accounts.c.domain)
    .where(account_domain_blocks.c.account_id == _VIEWER, accounts.c.id.in_(_REMOTE)),
    select(literal("m").label("kind"), mutes.c.target_account_id.label("other")).where(
        mutes.c.account_id == _VIEWER, mutes.c.target_account_id.in_(_AMONG), active_mute(_NOW)
    ),
)


async def load_viewer_relations(
    conn: AsyncConnection,
    viewer_id: int,
    among: Sequence[int],
    remote: Sequence[int],
    now: dt.datetime,
) -> ViewerRelations:
    if not among and not remote:
        return ViewerRelations()
    found: dict[str, set[int]] = {"f": set(), "b": set(), "m": set()}
    rows = await conn.execute(
        _VIEWER_RELATIONS,
        {
            "viewer_id": viewer_id,
            "among": sorted(set(among)),
            "remote": sorted(set(remote)),
            "now": now,
        },
    )
    for kind, other in rows:
        found[kind].add(other)
    return ViewerRelations(
        following=frozenset(found["f"]),
        blocked=frozenset(found["b"]),
        muted=frozenset(found["m"]),
    )
