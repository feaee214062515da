"""scripts/fanout-cost: it posts as the member closest to each follower count, runs the jobs
the post queued and reports what they cost (a smoke run on a tiny community: no timings
are asserted, only that the figures are real)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from godwit.app import Components
from godwit.config import Settings
from tests.api.timelines_helpers import follow_directly
from tests.factories import make_member

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fanout-cost"


async def test_it_reports_the_jobs_of_a_post_to_each_audience(
    settings: Settings, components: Components
) -> None:
    author = await make_member(components, "author")
    for n in range(3):
        await follow_directly(components, await make_member(components, f"reader{n}"), author)
    env = {**os.environ, "GODWIT_DATABASE_URL": settings.database_url}
    env["GODWIT_MEDIA_DIR"] = settings.media_dir
    env["GODWIT_MODERATION_THREAT_POLICY"] = "off"
    env["GODWIT_SECRET_KEY"] = settings.secret_key
    env.pop("GODWIT_REDIS_URL", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SCRIPT),
        "3",
        "0",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    lines = [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]
    assert [line["followers"] for line in lines] == [3, 0]
    assert lines[0]["feed_entries"] == 4  # the three readers and the author's own home
    assert lines[1]["feed_entries"] == 1
    assert all(line["statements"] > 0 and line["jobs_ms"] > 0 for line in lines)
