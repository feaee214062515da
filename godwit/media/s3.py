"""Media files in an S3-compatible bucket (AWS S3, MinIO, Garage, SeaweedFS…), via boto3.

boto3 is synchronous; every call runs in a worker thread so the event loop never waits on
the network. The client is thread-safe, so one is shared.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from godwit.media.filesystem import safe_key

_DELETE_BATCH = 1000  # DeleteObjects takes at most 1000 keys


class S3MediaStore:
    def __init__(
        self,
        *,
        endpoint: str,
        bucket: str,
        access_key_id: str,
        secret_access_key: str,
        region: str,
        public_url: str,
    ) -> None:
        self.bucket = bucket
        self.public_url = public_url.rstrip("/")
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint or None,
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            region_name=region,
            config=Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(
            self.client.put_object,
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            # Media URLs are unguessable and immutable: a key is never rewritten.
            CacheControl="public, max-age=31536000, immutable",
        )

    async def get(self, key: str) -> bytes | None:
        def fetch() -> bytes | None:
            try:
                answer = self.client.get_object(Bucket=self.bucket, Key=key)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                    return None
                raise
            body: bytes = answer["Body"].read()
            return body

        return await asyncio.to_thread(fetch)

    def url(self, key: str) -> str:
        return f"{self.public_url}/{key}"

    def key_for_url(self, url: str) -> str | None:
        prefix = f"{self.public_url}/"
        key = url[len(prefix) :] if url.startswith(prefix) else ""
        return key if safe_key(key) else None

    async def delete(self, keys: Sequence[str]) -> None:
        def remove() -> None:
            for start in range(0, len(keys), _DELETE_BATCH):
                batch = keys[start : start + _DELETE_BATCH]
                self.client.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
                )

        if keys:
            await asyncio.to_thread(remove)
