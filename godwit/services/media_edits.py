"""The media side of editing a status (called by StatusEditService inside its transaction).

As in Mastodon, an edit may add, remove and reorder attachments (at most four) and change
their descriptions and focal points (``media_attributes``). Attachments an edit removes are
not deleted: the post's history still shows them (every earlier revision names them), so
they stay, detached from the current version, until the post itself is deleted — then
their rows go with it and their files after the commit (``release_media``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from godwit.domain.media import (
    MAX_ATTACHMENTS_PER_STATUS,
    MediaAttachment,
    MediaEdit,
    MediaSnapshot,
    check_description,
    media_invalid,
)
from godwit.domain.posts import StatusView
from godwit.ports.store import Transaction
from godwit.services.media import check_ready


@dataclass(frozen=True, slots=True)
class MediaEditPlan:
    status_id: int
    before: tuple[MediaAttachment, ...]  # shown before the edit
    after: tuple[MediaAttachment, ...]  # shown after it, with their new descriptions
    stored: dict[int, MediaAttachment]  # the rows as they are now, by id

    @property
    def reordered(self) -> bool:
        return [media.id for media in self.before] != [media.id for media in self.after]

    @property
    def redescribed(self) -> list[MediaAttachment]:
        return [
            media
            for media in self.after
            if (media.description, media.focus)
            != (self.stored[media.id].description, self.stored[media.id].focus)
        ]

    @property
    def changed(self) -> bool:
        return self.reordered or bool(self.redescribed)

    @property
    def snapshots_before(self) -> tuple[MediaSnapshot, ...]:
        return tuple(MediaSnapshot.of(media) for media in self.before)

    @property
    def snapshots_after(self) -> tuple[MediaSnapshot, ...]:
        return tuple(MediaSnapshot.of(media) for media in self.after)


async def plan(
    tx: Transaction, view: StatusView, account_id: int, edit: MediaEdit
) -> MediaEditPlan:
    """Check the attachments an edit asks for, or raise Invalid (422) naming the problem."""
    status_id = view.status.id
    before = view.media_attachments
    wanted = edit.media_ids if edit.media_ids is not None else tuple(m.id for m in before)
    if len(wanted) > MAX_ATTACHMENTS_PER_STATUS:
        raise media_invalid(
            "media_ids", f"has too many items (maximum is {MAX_ATTACHMENTS_PER_STATUS})"
        )
    if len(set(wanted)) != len(wanted):
        raise media_invalid("media_ids", "must not repeat an attachment")
    stored = await tx.media.get_many(wanted)
    for media_id in wanted:
        media = stored.get(media_id)
        if media is None or media.account_id != account_id:
            raise media_invalid("media_ids", "contains an unknown attachment")
        if media.status_id not in (None, status_id):
            raise media_invalid("media_ids", "contains an attachment already used in a post")
        check_ready(media)
    attributes = {item.id: item for item in edit.attributes}
    after = []
    for media_id in wanted:
        media = stored[media_id]
        change = attributes.get(media_id)  # Mastodon ignores the attachments not kept
        if change is not None:
            media = replace(
                media,
                description=(
                    check_description(change.description)
                    if change.description_given
                    else media.description
                ),
                focus=change.focus or media.focus,
            )
        after.append(media)
    return MediaEditPlan(status_id, tuple(before), tuple(after), stored)


async def apply(tx: Transaction, edit: MediaEditPlan) -> None:
    """Store the planned change (after the revision recording the previous one)."""
    for media in edit.redescribed:
        await tx.media.update(media.id, description=media.description, focus=media.focus)
    if edit.reordered:
        await tx.media.set_status_media(edit.status_id, [media.id for media in edit.after])
