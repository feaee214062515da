"""Media files in a local directory, served by the app at ``/media/<key>``."""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

# Keys are made by the service ("media/<id>/original.jpg"); anything else is refused so a
# key can never climb out of the media directory.
_SAFE_KEY = re.compile(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+(\.[A-Za-z0-9]+)?)*")


def safe_key(key: str) -> bool:
    return bool(_SAFE_KEY.fullmatch(key)) and ".." not in key


class FileMediaStore:
    def __init__(self, root: str | Path, base_url: str) -> None:
        self.root = Path(root)
        self.base_url = base_url.rstrip("/")

    def path(self, key: str) -> Path:
        if not safe_key(key):
            raise ValueError(f"unsafe media key {key!r}")
        return self.root / key

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._write, self.path(key), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        # Written beside the target then renamed: a reader never sees half a file.
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    async def get(self, key: str) -> bytes | None:
        path = self.path(key)
        return await asyncio.to_thread(lambda: path.read_bytes() if path.is_file() else None)

    def url(self, key: str) -> str:
        return f"{self.base_url}/{key}"

    def key_for_url(self, url: str) -> str | None:
        prefix = f"{self.base_url}/"
        key = url[len(prefix) :] if url.startswith(prefix) else ""
        return key if safe_key(key) else None

    async def delete(self, keys: Sequence[str]) -> None:
        paths = [self.path(key) for key in keys]

        def remove() -> None:
            for path in paths:
                path.unlink(missing_ok=True)

        await asyncio.to_thread(remove)
