"""``godwit demo``: fill this instance with a believable community to explore."""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from godwit.config import Settings

# Printed at the end on purpose: a newcomer logs in as any demo member with it.
DEMO_PASSWORD = "godwit-demo-password"  # noqa: S105
# What the progress bar shows: key pairs made, the community planned, rows written.
PHASES = {"keys": "key pairs", "plan": "planning", "write": "writing"}


async def run_demo(settings: Settings, args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from godwit.app import Components
    from godwit.demo.generator import generate
    from godwit.demo.writer import write_community
    from godwit.domain.errors import Invalid

    console = Console()
    started = time.monotonic()
    refusal = ""
    community = generate(seed=args.seed, members=args.members, posts=args.posts)
    # Nothing is enqueued by the bulk path, so no job runner is needed.
    components = Components(settings.replace(run_jobs_in_process=False))
    await components.start()
    try:
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            # Each bar's clock starts with its phase's first report.
            tasks = {
                phase: progress.add_task(label, total=None, start=False)
                for phase, label in PHASES.items()
            }

            begun: set[str] = set()

            def report(phase: str, done: int, total: int) -> None:
                if phase not in begun:
                    begun.add(phase)
                    progress.start_task(tasks[phase])
                progress.update(tasks[phase], completed=done, total=total)

            try:
                result = await write_community(
                    components.services, community, args.password, report
                )
            except Invalid as error:
                refusal = error.message
    finally:
        await components.stop()
    if refusal:
        console.print(f"[red]godwit demo: {refusal}[/red]")
        return 1
    elapsed = time.monotonic() - started
    reblogs = sum(reaction.kind == "reblog" for reaction in community.reactions)
    console.print(
        f"Made {len(community.members)} members, {len(community.follows)} follows, "
        f"{len(community.posts)} posts, {len(community.reactions) - reblogs} likes and "
        f"{reblogs} reblogs ({result.rows} rows) in {elapsed:.1f} s."
    )
    first = community.members[0].username
    console.print(
        f"Every demo member's password is [bold]{args.password}[/bold]; "
        f"for example, log in as [bold]{first}[/bold] at {settings.base_url}."
    )
    return 0


def demo(settings: Settings, args: argparse.Namespace) -> int:
    from godwit.storage.migrate import upgrade

    upgrade(settings.database_url)
    return asyncio.run(run_demo(settings, args))


def register(sub: Any) -> None:
    parser = sub.add_parser("demo", help="fill this instance with a believable demo community")
    parser.add_argument("--members", type=int, default=200, help="how many members (200)")
    parser.add_argument("--posts", type=int, default=5000, help="how many posts (5000)")
    parser.add_argument("--seed", type=int, default=2021, help="random seed (same seed, same data)")
    parser.add_argument(
        "--password", default=DEMO_PASSWORD, help="the password every demo member gets"
    )
    parser.set_defaults(handler=demo)
