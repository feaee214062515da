"""Media rows at the repository level: processing states, edits detaching attachments, and
deletion answering every file key (pending originals included). SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.domain.media import MediaAttachment, MediaType, MotionMeta, ProcessingState
from godwit.domain.pagination import PageRequest
from godwit.domain.posting import AccountStatusesQuery
from godwit.domain.posts import Visibility
from godwit.services.statuses import PostRequest
from tests.factories import make_member


def _row(account_id: int, **changes: object) -> MediaAttachment:
    media_id = new_id()
    media = MediaAttachment(
        id=media_id, account_id=account_id, type=MediaType.IMAGE,
        file_key=f"media/{media_id}/original.jpg", preview_key=f"media/{media_id}/small.jpg",
        content_type="image/jpeg", file_size=10, width=4, height=3, preview_width=4,
        preview_height=3, created_at=dt.datetime.now(dt.UTC),
    )  # fmt: skip
    return replace(media, **changes)  # type: ignore[arg-type]


async def _status(components: Components, account_id: int) -> int:
    view = await components.services.statuses.create(account_id, PostRequest(text="Pics"))
    return view.status.id


async def test_processing_finishes_or_fails_only_while_queued(components: Components) -> None:
    alice = await make_member(components, "alice")
    queued = _row(
        alice.account_id, processing=ProcessingState.QUEUED, preview_key=None,
        upload_key="pending/1-abc/upload", type=MediaType.VIDEO, content_type="video/mp4",
    )  # fmt: skip
    async with components.store.write() as tx:
        await tx.media.create(queued)
    done = replace(
        queued, processing=ProcessingState.COMPLETE, upload_key=None, width=64, height=48,
        motion=MotionMeta(duration=1.5, bitrate=1000, frame_rate="10/1", audio_codec="aac",
                          audio_sample_rate=44100, audio_channels=2),
    )  # fmt: skip
    async with components.store.write() as tx:
        assert await tx.media.finish_processing(done) is True
        assert await tx.media.finish_processing(done) is False  # no longer queued
        assert await tx.media.fail_processing(queued.id, "late") is False
        stored = await tx.media.get(queued.id)
    assert stored == done

    failing = _row(alice.account_id, processing=ProcessingState.QUEUED, upload_key="pending/2/u")
    async with components.store.write() as tx:
        await tx.media.create(failing)
        assert await tx.media.fail_processing(failing.id, "file is too long") is True
        failed = await tx.media.get(failing.id)
    assert failed is not None
    assert (failed.processing, failed.processing_error) == (
        ProcessingState.FAILED,
        "file is too long",
    )


async def test_detached_attachments_are_kept_but_not_shown(components: Components) -> None:
    alice = await make_member(components, "alice")
    status_id = await _status(components, alice.account_id)
    first, second = _row(alice.account_id), _row(alice.account_id)
    async with components.store.write() as tx:
        await tx.media.create(first)
        await tx.media.create(second)
        await tx.media.attach([first.id, second.id], status_id)
        await tx.media.set_status_media(status_id, [second.id])
    async with components.store.read() as tx:
        shown = await tx.media.for_statuses([status_id])
        kept = await tx.media.get_many([first.id])
        only_media = await tx.statuses.account_statuses(
            AccountStatusesQuery(alice.account_id, (Visibility.PUBLIC,), only_media=True),
            PageRequest(limit=10),
        )
    assert [media.id for media in shown[status_id]] == [second.id]
    assert kept[first.id].detached is True
    assert kept[first.id].status_id == status_id
    assert only_media == [status_id]

    async with components.store.write() as tx:
        await tx.media.set_status_media(status_id, [])
    async with components.store.read() as tx:
        assert await tx.media.for_statuses([status_id]) == {}
        no_media = await tx.statuses.account_statuses(
            AccountStatusesQuery(alice.account_id, (Visibility.PUBLIC,), only_media=True),
            PageRequest(limit=10),
        )
    assert no_media == []  # detached attachments do not make it a media post

    async with components.store.write() as tx:
        keys = await tx.media.delete_for_statuses([status_id])
    assert sorted(keys) == sorted([*first.keys, *second.keys])


async def test_deleting_an_account_answers_every_key(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    pending = _row(alice.account_id, processing=ProcessingState.QUEUED, upload_key="pending/3/u")
    done = _row(alice.account_id)
    others = _row(bob.account_id)
    async with components.store.write() as tx:
        for media in (pending, done, others):
            await tx.media.create(media)
        keys = await tx.media.delete_for_account(alice.account_id)
        left = await tx.media.get_many([pending.id, done.id, others.id])
    assert "pending/3/u" in keys
    assert sorted(keys) == sorted([*pending.keys, *done.keys])
    assert list(left) == [others.id]
