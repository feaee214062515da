"""A default server (SQLite, files on disk, no Redis) does not import the libraries of the
backends it does not use, nor the threat scorer's until its model loads: each import is
resident memory for the process's whole life (docs/performance.md, idle RSS)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

NOT_AT_START = ("numpy", "tokenizers", "safetensors", "redis", "boto3", "botocore")


def default_environment(tmp_path: Path) -> dict[str, str]:
    """SQLite and files on disk under ``tmp_path``, no Redis, no S3."""
    return {
        "PATH": "/usr/bin:/bin",
        "GODWIT_DATABASE_URL": f"sqlite:///{tmp_path}/godwit.sqlite3",
        "GODWIT_MEDIA_DIR": f"{tmp_path}/media",
        "GODWIT_SECRET_KEY": "test",
    }


def imported_after_build(environment: dict[str, str]) -> list[str]:
    # A fresh interpreter: this one has them all loaded by other tests.
    probe = (
        "import sys\n"
        "from godwit.app import build_app\n"
        "from godwit.config import Settings\n"
        "build_app(Settings.from_env())\n"
        f"print(' '.join(m for m in {NOT_AT_START!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_default_server_imports_no_unused_backend(tmp_path: Path) -> None:
    assert imported_after_build(default_environment(tmp_path)) == []


def test_redis_and_s3_are_imported_where_configured(tmp_path: Path) -> None:
    environment = {
        **default_environment(tmp_path),
        "GODWIT_REDIS_URL": "redis://127.0.0.1:1/0",  # built, never connected to here
        "GODWIT_MEDIA_BACKEND": "s3",
        "GODWIT_S3_ENDPOINT": "http://127.0.0.1:1",
        "GODWIT_S3_BUCKET": "media",
        "GODWIT_S3_ACCESS_KEY_ID": "key",
        "GODWIT_S3_SECRET_ACCESS_KEY": "secret",
    }
    assert set(imported_after_build(environment)) >= {"redis", "boto3"}
