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
LIVE_ACTORS = 40  # members who take part in --live activity
DEMO_MODERATOR = "demo_moderator"  # a demo account with the moderator role


async def run_demo(settings: Settings, args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from godwit.app import Components
    from godwit.demo.generator import generate
    from godwit.demo.writer import EMAIL_DOMAIN, write_community
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
                # Someone to open the moderators' queue with: held posts and reports.
                await components.services.accounts.create_user(
                    DEMO_MODERATOR, f"{DEMO_MODERATOR}@{EMAIL_DOMAIN}", args.password, "moderator"
                )
            except Invalid as error:
                refusal = error.message
    finally:
        await components.stop()
    if refusal and not args.live:
        console.print(f"[red]godwit demo: {refusal}[/red]")
        return 1
    if refusal:
        console.print(f"godwit demo: {refusal}; the members already here will do the talking.")
        return await run_live(settings, args, console)
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
        f"for example, log in as [bold]{first}[/bold] at {settings.base_url}, or as "
        f"[bold]{DEMO_MODERATOR}[/bold] to see the moderators' queue."
    )
    return await run_live(settings, args, console) if args.live else 0


async def run_live(settings: Settings, args: argparse.Namespace, console: Any) -> int:
    """Let demo members post, reply and like through the running server's API."""
    from godwit.app import Components
    from godwit.demo.activity import Actor, ServerUnreachable, check_server, run_activity
    from godwit.demo.writer import EMAIL_DOMAIN

    try:
        await check_server(settings.base_url)
    except ServerUnreachable as error:
        console.print(
            f"[red]godwit demo --live: no server answers at {settings.base_url} ({error}). "
            "Start it first (./scripts/serve), then run this again.[/red]"
        )
        return 1
    components = Components(settings.replace(run_jobs_in_process=False))
    await components.start()
    try:
        members = [
            user
            for user, _account in await components.services.accounts.list_users()
            if user.email.endswith(f"@{EMAIL_DOMAIN}")
            and user.can_sign_in
            and user.role == "member"
        ]
        app, _secret = await components.services.oauth.register_app(
            name="Godwit demo activity",
            redirect_uris="urn:ietf:wg:oauth:2.0:oob",
            scopes="read write",
            website=None,
        )
        usernames = {
            account.id: account.username
            for _user, account in await components.services.accounts.list_users()
        }
        actors = [
            Actor(
                usernames[user.account_id],
                (
                    await components.services.oauth.operator_token(
                        app, user.id, frozenset({"read", "write"})
                    )
                ).access_token,
            )
            for user in members[:LIVE_ACTORS]
        ]
    finally:
        await components.stop()
    if not actors:
        console.print("[red]godwit demo --live: there are no demo members yet.[/red]")
        return 1
    console.print(
        f"{len(actors)} demo members are now active at {settings.base_url} (press Ctrl-C to stop)."
    )
    await run_activity(
        settings.base_url,
        actors,
        seed=args.seed,
        interval=args.interval,
        actions=args.actions,
        say=console.print,
    )
    return 0


def demo(settings: Settings, args: argparse.Namespace) -> int:
    from godwit.storage.migrate import upgrade

    upgrade(settings.database_url)
    try:
        return asyncio.run(run_demo(settings, args))
    except KeyboardInterrupt:  # the way --live ends
        return 0


def register(sub: Any) -> None:
    parser = sub.add_parser("demo", help="fill this instance with a believable demo community")
    parser.add_argument("--members", type=int, default=200, help="how many members (200)")
    parser.add_argument("--posts", type=int, default=5000, help="how many posts (5000)")
    parser.add_argument("--seed", type=int, default=2021, help="random seed (same seed, same data)")
    parser.add_argument(
        "--password", default=DEMO_PASSWORD, help="the password every demo member gets"
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help="then keep the community talking through the running server (Ctrl-C stops)",
    )
    parser.add_argument(
        "--interval", type=float, default=4.0, help="seconds between live actions (4)"
    )
    parser.add_argument(
        "--actions", type=int, default=None, help="stop after this many live actions"
    )
    parser.set_defaults(handler=demo)
