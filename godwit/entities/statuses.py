"""The Status entity, as Mastodon's API shows it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from godwit.config import Settings
from godwit.domain.posts import StatusView
from godwit.entities.accounts import render_account
from godwit.entities.cards import render_card
from godwit.entities.common import iso, iso_or_none
from godwit.entities.filters import render_filter_result
from godwit.entities.media import render_media_list
from godwit.entities.polls import render_poll


def _id(value: int | None) -> str | None:
    return str(value) if value is not None else None


def _quote(view: StatusView, settings: Settings, quoting: bool) -> dict[str, Any] | None:
    """The 4.5 ``quote`` (in the OpenAPI contract's Status): the quoted status in full at
    the top level, as an id (ShallowQuote) inside a quoted status, "deleted" once gone."""
    quoted_id = view.status.quote_of_id
    if quoted_id is None:
        return None
    if not quoting:
        return {"state": "accepted", "quoted_status_id": str(quoted_id)}
    if view.quote_hidden:
        return {"state": "unauthorized", "quoted_status": None}
    if view.quote is None:
        return {"state": "deleted", "quoted_status": None}
    return {
        "state": "accepted",
        "quoted_status": render_status(view.quote, settings, quoting=False),
    }


def render_status(
    view: StatusView, settings: Settings, *, with_source: bool = False, quoting: bool = True
) -> dict[str, Any]:
    """Per-viewer fields (favourited, reblogged, muted, bookmarked, filtered, and pinned on
    one's own statuses) appear only when the view was loaded for a member, as Mastodon sends
    them only to authenticated callers. ``with_source`` adds ``text``, the source kept for
    redraft (the DELETE answer)."""
    status = view.status
    viewer_id = view.viewer_id
    base = settings.base_url
    entity: dict[str, Any] = {
        "id": str(status.id),
        "created_at": iso(status.created_at),
        "in_reply_to_id": _id(status.in_reply_to_id),
        "in_reply_to_account_id": _id(status.in_reply_to_account_id),
        "sensitive": status.sensitive,
        "spoiler_text": status.spoiler_text,
        "visibility": status.visibility.value,
        "language": status.language,
        "uri": status.uri,
        "url": status.url,
        "replies_count": status.replies_count,
        "reblogs_count": status.reblogs_count,
        "favourites_count": status.favourites_count,
        "edited_at": iso_or_none(status.edited_at),
        "content": status.content,
        "reblog": (render_status(view.reblog, settings) if view.reblog is not None else None),
        "application": (
            {"name": view.application.name, "website": view.application.website}
            if view.application is not None and viewer_id == status.account_id
            else None
        ),
        "account": render_account(view.account, settings),
        "media_attachments": render_media_list(view.media_attachments, settings),
        "mentions": [
            {
                "id": str(mention.account_id),
                "username": mention.username,
                "url": mention.url,
                "acct": mention.acct,
            }
            for mention in view.mentions
        ],
        "tags": [
            {"name": name, "url": f"{base}/tags/{quote(name, safe='')}"} for name in view.tags
        ],
        "emojis": [],
        "card": render_card(view.card, settings) if view.card is not None else None,
        "poll": render_poll(view.poll, viewer_id) if view.poll is not None else None,
        "quote": _quote(view, settings, quoting),
    }
    if viewer_id is not None:
        entity["favourited"] = view.viewer.favourited
        entity["reblogged"] = view.viewer.reblogged
        entity["muted"] = view.viewer.muted
        entity["bookmarked"] = view.viewer.bookmarked
        if status.account_id == viewer_id and status.reblog_of_id is None:
            entity["pinned"] = view.viewer.pinned
        entity["filtered"] = [render_filter_result(match) for match in view.filtered]
    if with_source:
        entity["text"] = status.text
    if not status.published:
        # A Godwit extension: only the author (and moderators) ever receive such a post,
        # so their app or the web app can say it is pending review, held or rejected.
        entity["review_state"] = status.review_state
    return entity


def render_statuses(views: Sequence[StatusView], settings: Settings) -> list[dict[str, Any]]:
    return [render_status(view, settings) for view in views]
