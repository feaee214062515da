"""One suite, every MediaStore adapter: local files, and S3 against a real S3-compatible
server (moto's standalone server, started by the tests on a loopback port; never skipped)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import boto3
import httpx
import pytest

from godwit.media.filesystem import FileMediaStore
from godwit.media.s3 import S3MediaStore
from godwit.ports.media import MediaStore
from tests.support.s3_server import ACCESS_KEY, REGION, SECRET_KEY, running_s3_server


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with running_s3_server() as endpoint:
        yield endpoint


def _s3_store(endpoint: str) -> S3MediaStore:
    bucket = f"godwit-{secrets.token_hex(6)}"
    admin = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )
    admin.create_bucket(Bucket=bucket)
    # As an operator does (docs/configuration.md): objects are publicly readable.
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }
    admin.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read))
    return S3MediaStore(
        endpoint=endpoint,
        bucket=bucket,
        access_key_id=ACCESS_KEY,
        secret_access_key=SECRET_KEY,
        region=REGION,
        public_url=f"{endpoint}/{bucket}",
    )


@pytest.fixture(params=["filesystem", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> MediaStore:
    if request.param == "filesystem":
        return FileMediaStore(tmp_path / "media", "https://godwit.test/media")
    return _s3_store(request.getfixturevalue("s3_endpoint"))


async def test_put_then_get_returns_the_same_bytes(store: MediaStore) -> None:
    data = secrets.token_bytes(4096)
    await store.put("media/1/original.jpg", data, "image/jpeg")
    assert await store.get("media/1/original.jpg") == data


async def test_missing_key_reads_as_none(store: MediaStore) -> None:
    assert await store.get("media/404/original.jpg") is None


async def test_put_replaces_and_keys_are_independent(store: MediaStore) -> None:
    await store.put("media/2/original.png", b"first", "image/png")
    await store.put("media/2/small.png", b"preview", "image/png")
    await store.put("media/2/original.png", b"second", "image/png")
    assert await store.get("media/2/original.png") == b"second"
    assert await store.get("media/2/small.png") == b"preview"


async def test_delete_removes_only_the_given_keys_and_ignores_missing(store: MediaStore) -> None:
    await store.put("media/3/original.jpg", b"a", "image/jpeg")
    await store.put("media/3/small.jpg", b"b", "image/jpeg")
    await store.put("media/4/original.jpg", b"c", "image/jpeg")
    await store.delete(["media/3/original.jpg", "media/3/small.jpg", "media/3/never.jpg"])
    assert await store.get("media/3/original.jpg") is None
    assert await store.get("media/3/small.jpg") is None
    assert await store.get("media/4/original.jpg") == b"c"
    await store.delete(["media/3/original.jpg"])  # twice is harmless
    await store.delete([])


async def test_url_ends_with_the_key(store: MediaStore) -> None:
    url = store.url("media/5/original.webp")
    assert url.startswith(("http://", "https://"))
    assert url.endswith("/media/5/original.webp")


async def test_key_for_url_reverses_url_for_own_urls_only(store: MediaStore) -> None:
    key = "accounts/7/avatar-1.png"
    assert store.key_for_url(store.url(key)) == key
    for foreign in (
        "https://elsewhere.example/media/accounts/7/avatar-1.png",
        store.url("../escape"),
        store.url(""),
        "/static/avatar-missing.png",
    ):
        assert store.key_for_url(foreign) is None


async def test_s3_objects_are_served_at_their_url_with_their_type(s3_endpoint: str) -> None:
    store = _s3_store(s3_endpoint)
    await store.put("media/6/original.png", b"\x89PNG-bytes", "image/png")
    async with httpx.AsyncClient() as http:
        answer = await http.get(store.url("media/6/original.png"))
    assert answer.status_code == 200
    assert answer.content == b"\x89PNG-bytes"
    assert answer.headers["content-type"] == "image/png"


def test_file_store_refuses_keys_that_escape_its_directory(tmp_path: Path) -> None:
    files = FileMediaStore(tmp_path / "media", "https://godwit.test/media")
    for key in ("../secret", "media/../../x", "/etc/passwd", "media//x", ""):
        with pytest.raises(ValueError, match="unsafe"):
            files.path(key)
