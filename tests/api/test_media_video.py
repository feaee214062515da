"""Video, GIF animation and audio uploads through the API, processed by ffmpeg.

POST /api/v2/media answers 202 (``url`` null) and the ``media.process`` job does the work;
GET /api/v1/media/:id answers 206 until then, 200 after, 422 if it failed. POST
/api/v1/media processes before answering. Jobs are driven by hand here (the in-process
runner is off), so every intermediate state is observed, never raced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from godwit.config import Settings
from godwit.domain.media import NOT_READY
from godwit.storage.schema import jobs, media_attachments
from tests.api.media_helpers import fetch_file, upload
from tests.api.statuses_helpers import components_of
from tests.factories import Member, make_member
from tests.media.images import animated_gif, gif
from tests.media.videos import (
    assert_no_metadata,
    concat_playlist,
    hls_playlist,
    make_audio,
    make_video,
    require_ffmpeg,
)


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_ffmpeg()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(run_jobs_in_process=False)


async def _queued(
    client: httpx.AsyncClient, member: Member, data: bytes, name: str = "clip.mp4"
) -> dict[str, Any]:
    answer = await upload(client, member, data, filename=name, content_type="video/mp4")
    assert answer.status_code == 202, answer.text
    entity: dict[str, Any] = answer.json()
    assert entity["url"] is None
    assert entity["preview_url"] is None
    return entity


async def _show(client: httpx.AsyncClient, member: Member, media_id: str) -> httpx.Response:
    return await client.get(f"/api/v1/media/{media_id}", headers=member.headers)


def _pending_files(client: httpx.AsyncClient) -> list[Path]:
    root = Path(components_of(client).settings.media_dir) / "pending"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


async def _upload_key(client: httpx.AsyncClient, media_id: str) -> str:
    async with components_of(client).database.read() as conn:
        rows = await conn.execute(select(jobs.c.payload).where(jobs.c.kind == "media.process"))
        for (payload,) in rows:
            if str(payload["media_id"]) == media_id:
                return str(payload["upload_key"])
    raise AssertionError("no media.process job")


async def test_v2_video_is_queued_then_processed_by_the_job(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    entity = await _queued(client, alice, make_video(seconds=1.0))
    assert entity["type"] == "video"

    waiting = await _show(client, alice, entity["id"])
    assert waiting.status_code == 206
    assert waiting.json()["url"] is None
    (original,) = _pending_files(client)
    assert b"SecretTitle" in original.read_bytes()  # the original, stored durably…
    key = original.relative_to(components.settings.media_dir).as_posix()
    assert (await client.get(f"/media/{key}")).status_code == 404  # …and never served

    early = await client.post(
        "/api/v1/statuses",
        json={"status": "watch", "media_ids": [entity["id"]]},
        headers=alice.headers,
    )
    assert early.status_code == 422
    assert early.json()["error"] == NOT_READY

    await components.job_runner.run_until_idle()

    done = await _show(client, alice, entity["id"])
    assert done.status_code == 200
    media = done.json()
    assert media["url"].endswith(".mp4")
    served = await fetch_file(client, media["url"])
    assert served.headers["content-type"] == "video/mp4"
    assert [s["codec_name"] for s in assert_no_metadata(served.content)["streams"]] == [
        "h264",
        "aac",
    ]
    preview = await fetch_file(client, media["preview_url"])
    assert preview.headers["content-type"] == "image/jpeg"
    assert media["blurhash"]
    meta = media["meta"]
    assert (meta["width"], meta["height"], meta["fps"]) == (64, 48, 10)
    assert meta["original"]["frame_rate"] == "10/1"
    assert 0.9 <= meta["original"]["duration"] <= 1.2
    assert meta["small"]["size"] == "64x48"
    assert _pending_files(client) == []  # the original is gone once processed

    posted = await client.post(
        "/api/v1/statuses",
        json={"status": "watch", "media_ids": [entity["id"]]},
        headers=alice.headers,
    )
    assert posted.status_code == 200, posted.text
    assert [m["type"] for m in posted.json()["media_attachments"]] == ["video"]


async def test_v1_video_is_processed_before_the_answer(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    answer = await upload(
        client,
        alice,
        make_video(),
        path="/api/v1/media",
        filename="a.mp4",
        content_type="video/mp4",
    )
    assert answer.status_code == 200, answer.text
    entity = answer.json()
    assert entity["type"] == "video"
    assert_no_metadata((await fetch_file(client, entity["url"])).content)
    assert _pending_files(client) == []


async def test_animated_gif_becomes_gifv_and_a_still_gif_stays_an_image(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    entity = await _queued(client, alice, animated_gif(frames=4), name="dance.gif")
    assert entity["type"] == "gifv"
    await components.job_runner.run_until_idle()
    media = (await _show(client, alice, entity["id"])).json()
    streams = assert_no_metadata((await fetch_file(client, media["url"])).content)["streams"]
    assert [s["codec_type"] for s in streams] == ["video"]  # no sound in a gifv

    still = await upload(client, alice, gif(), filename="dot.gif", content_type="image/gif")
    assert still.status_code == 200, still.text
    assert (still.json()["type"], still.json()["url"][-4:]) == ("image", ".png")


async def test_audio_is_converted_to_mp3(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    entity = await _queued(client, alice, make_audio(seconds=1.0), name="tone.flac")
    assert entity["type"] == "audio"
    await components.job_runner.run_until_idle()
    media = (await _show(client, alice, entity["id"])).json()
    assert media["preview_url"] is None
    assert media["meta"]["original"]["duration"] > 0.9
    assert media["meta"]["length"].startswith("0:00:01")
    served = await fetch_file(client, media["url"])
    assert served.headers["content-type"] == "audio/mpeg"
    assert_no_metadata(served.content)


async def test_failed_processing_is_reported_and_the_upload_refused(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    whole = make_video()
    entity = await _queued(client, alice, whole)
    # The stored original is damaged before the job runs (a disk or bucket fault).
    await components.media_store.put(
        await _upload_key(client, entity["id"]),
        whole[: len(whole) // 4],
        "application/octet-stream",
    )
    await components.job_runner.run_until_idle()

    failed = await _show(client, alice, entity["id"])
    assert failed.status_code == 422
    assert failed.json()["error"].startswith("Error processing uploaded media: file ")
    described = await client.put(
        f"/api/v1/media/{entity['id']}", json={"description": "x"}, headers=alice.headers
    )
    assert described.status_code == 422
    refused = await client.post(
        "/api/v1/statuses", json={"status": "x", "media_ids": [entity["id"]]}, headers=alice.headers
    )
    assert refused.status_code == 422
    assert _pending_files(client) == []
    gone = await client.delete(f"/api/v1/media/{entity['id']}", headers=alice.headers)
    assert gone.status_code == 200
    assert (await _show(client, alice, entity["id"])).status_code == 404


async def test_a_lost_original_fails_processing_clearly(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    entity = await _queued(client, alice, make_video())
    await components.media_store.delete([await _upload_key(client, entity["id"])])
    await components.job_runner.run_until_idle()
    failed = await _show(client, alice, entity["id"])
    assert failed.status_code == 422
    assert "lost" in failed.json()["error"]


async def test_the_processing_job_may_run_again(client: httpx.AsyncClient) -> None:
    """A crash before the job is marked done runs it again: nothing changes the second time,
    and an original left behind by a crash after the commit is deleted."""
    components = components_of(client)
    alice = await make_member(components, "alice")
    entity = await _queued(client, alice, make_video())
    payload = {"media_id": entity["id"], "upload_key": await _upload_key(client, entity["id"])}
    await components.services.media.handle_process(payload)  # as if it then crashed
    first = (await _show(client, alice, entity["id"])).json()
    await components.media_store.put(
        payload["upload_key"], b"left over", "application/octet-stream"
    )
    await components.job_runner.run_until_idle()  # the same job, run again
    second = await _show(client, alice, entity["id"])
    assert second.status_code == 200
    assert second.json() == first
    assert (await fetch_file(client, first["url"])).status_code == 200
    assert _pending_files(client) == []


async def test_deleting_a_queued_upload_leaves_no_file(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    entity = await _queued(client, alice, make_video())
    deleted = await client.delete(f"/api/v1/media/{entity['id']}", headers=alice.headers)
    assert deleted.status_code == 200
    await components.job_runner.run_until_idle()
    assert _pending_files(client) == []
    assert not (Path(components.settings.media_dir) / "media" / entity["id"]).exists()


@pytest.mark.parametrize(
    "data",
    [
        hls_playlist(),
        concat_playlist(),
        b"\x00\x00\x00\x18ftypmp42" + hls_playlist(),  # a playlist behind an MP4 signature
        b"\x1a\x45\xdf\xa3" + b"\x00" * 64,  # a broken WebM
    ],
    ids=["hls", "concat", "hls-as-mp4", "broken-webm"],
)
async def test_hostile_and_broken_files_are_refused_without_a_row(
    client: httpx.AsyncClient, data: bytes
) -> None:
    alice = await make_member(components_of(client), "alice")
    answer = await upload(client, alice, data, filename="clip.mp4", content_type="video/mp4")
    assert answer.status_code == 422, answer.text
    assert "root:" not in answer.text
    async with components_of(client).database.read() as conn:
        assert (await conn.execute(select(media_attachments.c.id))).first() is None
    assert _pending_files(client) == []


async def test_limits_are_enforced_at_upload(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    answer = await upload(client, alice, make_video(rate=150), content_type="video/mp4")
    assert answer.status_code == 422
    assert "frame rate" in answer.json()["error"]


async def test_the_instance_advertises_video_and_audio(client: httpx.AsyncClient) -> None:
    for path in ("/api/v2/instance", "/api/v1/instance"):
        limits = (await client.get(path)).json()["configuration"]["media_attachments"]
        assert {"video/mp4", "video/webm", "image/gif", "audio/mpeg"} <= set(
            limits["supported_mime_types"]
        )
        settings = components_of(client).settings
        assert limits["video_size_limit"] == settings.media_max_video_bytes
        assert limits["video_matrix_limit"] == settings.media_max_video_pixels
        assert limits["video_frame_rate_limit"] == settings.media_max_video_frame_rate
