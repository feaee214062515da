"""Tier-3 entities: Report, FeaturedTag, Tag (from a TagView), Suggestion, Announcement and
ExtendedDescription."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from godwit.config import Settings
from godwit.domain.accounts import Account
from godwit.domain.discovery import Announcement
from godwit.domain.search import TagDay, TagSummary
from godwit.domain.tags import FeaturedTag, TagView
from godwit.entities.accounts import render_account
from godwit.entities.common import day, iso, iso_or_none
from godwit.entities.tags import render_tag
from godwit.services.discovery import ExtendedDescription, Suggestion
from godwit.services.reports import FiledReport


def render_report(filed: FiledReport, settings: Settings) -> dict[str, Any]:
    report = filed.report
    return {
        "id": str(report.id),
        "action_taken": report.action_taken,
        "action_taken_at": iso_or_none(report.action_taken_at),
        "category": report.category,
        "comment": report.comment,
        "forwarded": report.forward,
        "created_at": iso(report.created_at),
        "status_ids": [str(i) for i in report.status_ids] or None,
        "rule_ids": [str(i) for i in report.rule_ids] or None,
        "target_account": render_account(filed.target, settings),
    }


def render_tag_view(view: TagView, settings: Settings) -> dict[str, Any]:
    """The Tag entity, through the one renderer the search slice owns."""
    summary = TagSummary(
        id=view.tag.id,
        name=view.tag.display_name,
        history=tuple(
            TagDay(day=use.day.date(), uses=use.uses, accounts=use.accounts) for use in view.history
        ),
    )
    entity = render_tag(summary, settings, following=bool(view.following))
    if view.following is None:
        entity["following"] = None  # no viewer: unknown, not "no"
    if view.featuring is not None:
        entity["featuring"] = view.featuring
    return entity


def render_tag_views(views: Sequence[TagView], settings: Settings) -> list[dict[str, Any]]:
    return [render_tag_view(view, settings) for view in views]


def render_featured_tag(
    featured: FeaturedTag, owner: Account, settings: Settings
) -> dict[str, Any]:
    name = featured.tag.display_name
    return {
        "id": str(featured.id),
        "name": name,
        "url": f"{owner.url}/tagged/{quote(featured.tag.name, safe='')}",
        # Mastodon sends the count as a string, and the last use as a date.
        "statuses_count": str(featured.statuses_count),
        "last_status_at": day(featured.last_status_at),
    }


def render_suggestion(suggestion: Suggestion, settings: Settings) -> dict[str, Any]:
    return {
        "source": "global" if "most_followed" in suggestion.sources else "past_interactions",
        "sources": list(suggestion.sources),
        "account": render_account(suggestion.account, settings),
    }


def render_announcement(announcement: Announcement) -> dict[str, Any]:
    return {
        "id": str(announcement.id),
        "content": announcement.content,
        "starts_at": iso_or_none(announcement.starts_at),
        "ends_at": iso_or_none(announcement.ends_at),
        "all_day": announcement.all_day,
        "published": True,
        "published_at": iso(announcement.published_at),
        "updated_at": iso(announcement.updated_at),
        "read": announcement.read,
        "mentions": [],
        "statuses": [],
        "tags": [],
        "emojis": [],
        "reactions": [],
    }


def render_extended_description(description: ExtendedDescription) -> dict[str, Any]:
    return {"updated_at": iso(description.updated_at), "content": description.content}
