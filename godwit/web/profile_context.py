"""What every /@acct page starts from: the account its path names, the one canonical
spelling of that path, and how the signed-in viewer stands to the account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse

from godwit.domain.accounts import Account
from godwit.domain.errors import NotFound
from godwit.entities.relationships import render_relationship
from godwit.web.context import services
from godwit.web.endpoint import safe_return_path
from godwit.web.session import Viewer
from godwit.web.templating import profile_path

MAX_ACCT = 400


async def account_from_path(request: Request) -> Account:
    """The account of ``/@{acct}``: ``alice``, ``Alice`` and ``alice@ourdomain`` all name
    the local alice; unknown names are a 404 page."""
    acct = str(request.path_params.get("acct", ""))
    if not acct or len(acct) > MAX_ACCT:
        raise NotFound()
    return await services(request).accounts.lookup(acct)


def canonical_redirect(
    request: Request, account: Account, suffix: str = ""
) -> RedirectResponse | None:
    """A 301 to the path spelled as the account's ``acct`` when it was spelled otherwise
    (``/@Alice``, ``/@alice@ourdomain``), so each page has one address; else None."""
    if request.path_params.get("acct") == account.acct:
        return None
    target = profile_path({"acct": account.acct}) + suffix
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse(safe_return_path(target, "/"), status_code=301)


async def relationships_of(
    request: Request, viewer: Viewer | None, account_ids: Sequence[int]
) -> dict[str, dict[str, Any]]:
    """The viewer's Relationship entities to ``account_ids``, by account id (as the
    entities spell ids); none for a visitor or for the viewer's own account."""
    wanted = [
        account_id for account_id in account_ids if viewer and account_id != viewer.account_id
    ]
    if viewer is None or not wanted:
        return {}
    found = await services(request).graph.relationships(viewer.account_id, wanted)
    return {str(rel.id): render_relationship(rel) for rel in found}


def joined(created_at: dt.datetime) -> str:
    """'March 2024': when the account was made, as profiles say it."""
    return created_at.strftime("%B %Y")
