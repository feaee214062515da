"""The Instance (v2), V1Instance, Rule, CustomEmoji and NodeInfo documents."""

from __future__ import annotations

from typing import Any

from godwit import __version__
from godwit.config import Settings
from godwit.domain import accounts as account_rules
from godwit.domain.instance import CustomEmoji, InstanceRule, WeeklyActivity
from godwit.entities.accounts import render_account
from godwit.services.instance import InstanceInfo

# The Mastodon version whose client API we implement; clients gate features on it.
MASTODON_VERSION = f"4.3.0 (compatible; Godwit {__version__})"
API_VERSIONS = {"mastodon": 2}  # 4.3
THUMBNAIL_PATH = "/static/instance-thumbnail.png"
THUMBNAIL_SIZE = "256x256"
LANGUAGES = ["en"]

# Limits apps read before they let a member compose. Media and polls follow Mastodon's
# defaults so apps behave as they would against Mastodon once those features land.
MAX_MEDIA_ATTACHMENTS = 4
CHARACTERS_RESERVED_PER_URL = 23
MEDIA_ATTACHMENTS: dict[str, Any] = {
    # Images only: what is shown when the service does not say (see render_media_limits).
    "supported_mime_types": ["image/jpeg", "image/png", "image/webp"],
    "image_size_limit": 16_777_216,
    "image_matrix_limit": 33_177_600,
    "video_size_limit": 103_809_024,
    "video_frame_rate_limit": 120,
    "video_matrix_limit": 8_294_400,
    "description_limit": 1_500,
}  # fmt: skip
POLLS = {
    "max_options": 4,
    "max_characters_per_option": 50,
    "min_expiration": 300,
    "max_expiration": 2_629_746,
}
MAX_FEATURED_TAGS = 10
MAX_PINNED_STATUSES = 5


def source_url(settings: Settings) -> str:
    return settings.source_url or settings.base_url


def streaming_url(settings: Settings) -> str:
    scheme = "wss" if settings.scheme == "https" else "ws"
    return f"{scheme}://{settings.domain}"


def thumbnail_url(settings: Settings) -> str:
    return f"{settings.base_url}{THUMBNAIL_PATH}"


def render_rule(rule: InstanceRule) -> dict[str, Any]:
    return {"id": str(rule.id), "text": rule.text, "hint": rule.hint}


def render_custom_emoji(emoji: CustomEmoji, settings: Settings) -> dict[str, Any]:
    path = emoji.image_path
    url = path if path.startswith(("http://", "https://")) else f"{settings.base_url}/{path}"
    return {
        "shortcode": emoji.shortcode,
        "url": url,
        "static_url": url,
        "visible_in_picker": emoji.visible_in_picker,
        "category": emoji.category,
    }


def render_media_limits(info: InstanceInfo) -> dict[str, Any]:
    """What the media pipeline processes, so apps do not offer uploads that would fail:
    video and audio types appear only when ffmpeg is available."""
    limits = info.media
    if limits is None:
        return MEDIA_ATTACHMENTS
    return {
        "supported_mime_types": list(limits.supported_mime_types),
        "image_size_limit": limits.image_size_limit,
        "image_matrix_limit": limits.image_matrix_limit,
        "video_size_limit": limits.video_size_limit,
        "video_frame_rate_limit": limits.video_frame_rate_limit,
        "video_matrix_limit": limits.video_matrix_limit,
        "description_limit": limits.description_limit,
    }


def _statuses_configuration(info: InstanceInfo) -> dict[str, int]:
    return {
        "max_characters": info.max_status_chars,
        "max_media_attachments": MAX_MEDIA_ATTACHMENTS,
        "characters_reserved_per_url": CHARACTERS_RESERVED_PER_URL,
    }


def _contact_account(info: InstanceInfo, settings: Settings) -> dict[str, Any] | None:
    if info.contact_account is None:
        return None
    return render_account(info.contact_account, settings)


def render_instance(
    info: InstanceInfo, settings: Settings, *, vapid_public_key: str = ""
) -> dict[str, Any]:
    """GET /api/v2/instance."""
    thumbnail = thumbnail_url(settings)
    return {
        "domain": settings.domain,
        "title": info.title,
        "version": MASTODON_VERSION,
        "source_url": source_url(settings),
        "description": info.description,
        "usage": {"users": {"active_month": info.usage.active_month}},
        "thumbnail": {"url": thumbnail, "blurhash": None, "versions": {}},
        "icon": [{"src": thumbnail, "size": THUMBNAIL_SIZE}],
        "languages": LANGUAGES,
        "configuration": {
            "urls": {"streaming": streaming_url(settings), "status": None},
            "vapid": {"public_key": vapid_public_key},
            "accounts": {
                "max_featured_tags": MAX_FEATURED_TAGS,
                "max_pinned_statuses": MAX_PINNED_STATUSES,
                "max_display_name_length": account_rules.MAX_DISPLAY_NAME,
                "max_note_length": account_rules.MAX_NOTE,
                "max_profile_fields": account_rules.MAX_FIELDS,
                "profile_field_name_limit": account_rules.MAX_FIELD_NAME,
                "profile_field_value_limit": account_rules.MAX_FIELD_VALUE,
            },
            "statuses": _statuses_configuration(info),
            "media_attachments": render_media_limits(info),
            "polls": POLLS,
            "translation": {"enabled": False},
            "limited_federation": False,
        },
        "registrations": {
            "enabled": info.registrations_open,
            "approval_required": info.approval_required,
            "reason_required": info.approval_required,
            "message": None,
            "min_age": None,
            "url": None,
        },
        "api_versions": API_VERSIONS,
        "contact": {
            "email": info.contact_email,
            "account": _contact_account(info, settings),
        },
        "rules": [render_rule(rule) for rule in info.rules],
    }


def render_v1_instance(info: InstanceInfo, settings: Settings) -> dict[str, Any]:
    """GET /api/v1/instance (Mastodon.py and Tusky read this one)."""
    return {
        "uri": settings.domain,
        "title": info.title,
        "short_description": info.description,
        "description": info.description,
        "email": info.contact_email,
        "version": MASTODON_VERSION,
        "urls": {"streaming_api": streaming_url(settings)},
        "stats": {
            "user_count": info.usage.user_count,
            "status_count": info.usage.status_count,
            "domain_count": info.usage.domain_count,
        },
        "thumbnail": thumbnail_url(settings),
        "languages": LANGUAGES,
        "registrations": info.registrations_open,
        "approval_required": info.approval_required,
        "invites_enabled": False,
        "configuration": {
            "accounts": {
                "max_featured_tags": MAX_FEATURED_TAGS,
                "max_pinned_statuses": MAX_PINNED_STATUSES,
            },
            "statuses": _statuses_configuration(info),
            "media_attachments": render_media_limits(info),
            "polls": POLLS,
        },
        "contact_account": _contact_account(info, settings),
        "rules": [render_rule(rule) for rule in info.rules],
    }


def render_activity(weeks: list[WeeklyActivity]) -> list[dict[str, str]]:
    """GET /api/v1/instance/activity: Mastodon sends every number as a string."""
    return [
        {
            "week": str(int(week.week_start.timestamp())),
            "statuses": str(week.statuses),
            "logins": str(week.logins),
            "registrations": str(week.registrations),
        }
        for week in weeks
    ]


def render_nodeinfo(info: InstanceInfo, version: str, settings: Settings) -> dict[str, Any]:
    """NodeInfo 2.0 or 2.1 (2.1 adds the software's repository and homepage)."""
    software: dict[str, str] = {"name": "godwit", "version": __version__}
    if version == "2.1":
        software |= {"repository": source_url(settings), "homepage": settings.base_url}
    return {
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": info.registrations_open,
        "usage": {
            "users": {
                "total": info.usage.user_count,
                "activeMonth": info.usage.active_month,
                "activeHalfyear": info.usage.active_halfyear,
            },
            "localPosts": info.usage.status_count,
        },
        "metadata": {"nodeName": info.title, "nodeDescription": info.description},
    }
