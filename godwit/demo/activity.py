"""``godwit demo --live``: demo members keep posting, replying and liking while you watch.

The activity goes through the running server's client API over HTTP, exactly as apps do, so
every post takes the real path (fan-out jobs, notifications, streaming) and appears live in
the browsers and apps connected to that server, whichever process runs it.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from godwit.demo import vocabulary as words
from godwit.demo.generator import fill_template

ACTIVITY_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Actor:
    username: str
    token: str


class ServerUnreachable(Exception):
    """The server at the given URL did not answer: start it first."""


async def check_server(base_url: str) -> None:
    try:
        async with httpx.AsyncClient(timeout=ACTIVITY_TIMEOUT_SECONDS) as client:
            response = await client.get(f"{base_url}/api/v1/instance")
    except httpx.HTTPError as error:
        raise ServerUnreachable(str(error)) from error
    if response.status_code != 200:
        raise ServerUnreachable(f"GET /api/v1/instance answered {response.status_code}")


async def run_activity(
    base_url: str,
    actors: Sequence[Actor],
    *,
    seed: int,
    interval: float,
    actions: int | None,
    say: Callable[[str], None],
) -> int:
    """Act every ``interval`` seconds (jittered) until ``actions`` are done (None: forever);
    returns how many actions succeeded."""
    rng = random.Random(seed)
    done = 0
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per action is enough
    async with httpx.AsyncClient(base_url=base_url, timeout=ACTIVITY_TIMEOUT_SECONDS) as client:
        while actions is None or done < actions:
            actor = rng.choice(actors)
            headers = {"Authorization": f"Bearer {actor.token}"}
            try:
                line = await _act(client, rng, actor, headers)
            except httpx.HTTPError as error:
                line = f"@{actor.username}: the server did not answer ({error})"
            if line is not None:
                done += 1
                say(line)
            await asyncio.sleep(interval * rng.uniform(0.5, 1.5))
    return done


async def _act(
    client: httpx.AsyncClient, rng: random.Random, actor: Actor, headers: dict[str, str]
) -> str | None:
    roll = rng.random()
    if roll < 0.55:
        return await _post(client, rng, actor, headers)
    recent = await client.get(
        "/api/v1/timelines/public", params={"local": "true", "limit": 20}, headers=headers
    )
    others = [
        status
        for status in (recent.json() if recent.status_code == 200 else [])
        if status["account"]["username"] != actor.username and status.get("reblog") is None
    ]
    if not others:
        return await _post(client, rng, actor, headers)
    target = rng.choice(others)
    if roll < 0.8:
        text = fill_template(rng, rng.choice(words.REPLY_TEMPLATES), target["account"]["acct"])
        response = await client.post(
            "/api/v1/statuses",
            json={"status": text, "in_reply_to_id": target["id"]},
            headers=headers,
        )
        return _said(response, f"@{actor.username} replied to @{target['account']['acct']}")
    response = await client.post(f"/api/v1/statuses/{target['id']}/favourite", headers=headers)
    return _said(response, f"@{actor.username} liked a post by @{target['account']['acct']}")


async def _post(
    client: httpx.AsyncClient, rng: random.Random, actor: Actor, headers: dict[str, str]
) -> str | None:
    text = fill_template(rng, rng.choice(words.POST_TEMPLATES))
    tags = rng.sample(words.HASHTAGS, k=rng.choice((0, 1, 1, 2)))
    if tags:
        text += "\n\n" + " ".join(f"#{tag}" for tag in tags)
    response = await client.post("/api/v1/statuses", json={"status": text}, headers=headers)
    return _said(response, f"@{actor.username} posted: {text.splitlines()[0][:60]}")


def _said(response: httpx.Response, line: str) -> str | None:
    if response.status_code == 200:
        return line
    if response.status_code == 429:
        return None  # rate limited: this member rests a while
    return f"{line} — refused ({response.status_code})"
