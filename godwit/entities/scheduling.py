"""The ScheduledStatus and Conversation entities."""

from __future__ import annotations

from typing import Any

from godwit.config import Settings
from godwit.domain.scheduling import ScheduledStatus
from godwit.entities.accounts import render_accounts
from godwit.entities.common import iso
from godwit.entities.statuses import render_status
from godwit.services.conversations import ConversationView


def render_scheduled_status(scheduled: ScheduledStatus) -> dict[str, Any]:
    return {
        "id": str(scheduled.id),
        "scheduled_at": iso(scheduled.scheduled_at),
        "params": dict(scheduled.params),
        "media_attachments": [],
    }


def render_conversation(view: ConversationView, settings: Settings) -> dict[str, Any]:
    return {
        "id": str(view.conversation.id),
        "unread": view.conversation.unread,
        "accounts": render_accounts(view.accounts, settings),
        "last_status": (
            render_status(view.last_status, settings) if view.last_status is not None else None
        ),
    }
