"""The read path's one question to the graph: how viewers stand to a page's authors.

Follows, blocks either way, unexpired mutes among some accounts, and the remote ones on a
domain the viewer blocks, in one statement built once (its lists are expanding binds): for
the one viewer of a page, or for all the viewers a streamed status is checked for at once.
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


_VIEWERS: BindParameter[Any] = bindparam("viewer_ids", expanding=True)
_AMONG: BindParameter[Any] = bindparam("among", expanding=True)
_REMOTE: BindParameter[Any] = bindparam("remote", expanding=True)
_NOW: BindParameter[Any] = bindparam("now", type_=mutes.c.expires_at.type)


def _relation(kind: str, viewer: Any, other: Any, *where: ColumnElement[bool]) -> Any:
    """One branch: (kind, viewer, other) rows where ``viewer`` is one of the viewers."""
    return select(literal(kind).label("kind"), viewer.label("viewer"), other.label("other")).where(
        viewer.in_(_VIEWERS), *where
    )


_VIEWER_RELATIONS = union_all(
    _relation(
        "f",
        follows.c.account_id,
        follows.c.target_account_id,
        follows.c.target_account_id.in_(_AMONG),
    ),
    _relation(
        "b", blocks.c.account_id, blocks.c.target_account_id, blocks.c.target_account_id.in_(_AMONG)
    ),
    _relation(
        "b", blocks.c.target_account_id, blocks.c.account_id, blocks.c.account_id.in_(_AMONG)
    ),
    _relation(
        "b",
        account_domain_blocks.c.account_id,
        accounts.c.id,
        account_domain_blocks.c.domain == accounts.c.domain,
        accounts.c.id.in_(_REMOTE),
    ),
    _relation(
        "m",
        mutes.c.account_id,
        mutes.c.target_account_id,
        mutes.c.target_account_id.in_(_AMONG),
        active_mute(_NOW),
    ),
)


async def load_viewer_relations(
    conn: AsyncConnection,
    viewer_ids: Sequence[int],
    among: Sequence[int],
    remote: Sequence[int],
    now: dt.datetime,
) -> dict[int, ViewerRelations]:
    """Each viewer's relations (viewers with none are absent)."""
    if not viewer_ids or (not among and not remote):
        return {}
    found: dict[int, dict[str, set[int]]] = {}
    rows = await conn.execute(
        _VIEWER_RELATIONS,
        {
            "viewer_ids": sorted(set(viewer_ids)),
            "among": sorted(set(among)),
            "remote": sorted(set(remote)),
            "now": now,
        },
    )
    for kind, viewer, other in rows:
        found.setdefault(viewer, {"f": set(), "b": set(), "m": set()})[kind].add(other)
    return {
        viewer: ViewerRelations(
            following=frozenset(kinds["f"]),
            blocked=frozenset(kinds["b"]),
            muted=frozenset(kinds["m"]),
        )
        for viewer, kinds in found.items()
    }
