"""``godwit bench``: prepare a dataset, run the benchmark, serve the bare baseline app.

    godwit bench prepare --url http://127.0.0.1:8000 --members 962 --posts 9620
    godwit bench run --state bench/state.json --out bench/results
    godwit bench baseline-server --port 8799

The harness is ``godwit/bench/`` (HTTP only, any Mastodon-compatible server); see
docs/performance.md for the exact commands of a full run.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path
from typing import Any

from godwit.config import Settings

DEFAULT_STATE = "bench/state.json"


def _floats(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from error
    if not values or any(value <= 0 for value in values):
        raise argparse.ArgumentTypeError("rates must be positive numbers, comma-separated")
    return tuple(sorted(values))


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(value) for value in _floats(text))


def _runner() -> asyncio.Runner:
    """uvloop when it is there (it comes with uvicorn[standard]): a lighter generator."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency on Linux
        return asyncio.Runner()
    return asyncio.Runner(loop_factory=uvloop.new_event_loop)


def _quiet_http_log() -> None:
    """One INFO line per request would swamp the progress display (and cost CPU)."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _progress_bar() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )


def prepare(settings: Settings, args: argparse.Namespace) -> int:
    from godwit.bench.dataset import DatasetSpec
    from godwit.bench.prepare import prepare_via_api

    _quiet_http_log()
    spec = DatasetSpec(
        graph="edges" if args.edges else "synthetic",
        members=args.members,
        edges_path=str(Path(args.edges).resolve()) if args.edges else "",
        symmetric=not args.directed,
        mean_out=args.mean_out,
        probes=args.probes,
        posts=args.posts,
        seed=args.seed,
        active_share=args.active_share,
        prefix=args.prefix,
    )
    url = (args.url or settings.base_url).rstrip("/")
    with _progress_bar() as bar:
        tasks: dict[str, Any] = {}

        def report(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        if args.direct:
            from godwit.commands.bench_direct import prepare_direct
            from godwit.storage.migrate import upgrade

            upgrade(settings.database_url)
            work = prepare_direct(settings, spec, url, report, lazy_keys=not args.eager_keys)
        else:
            work = prepare_via_api(url, spec, concurrency=args.concurrency, progress=report)
        with _runner() as runner:
            state = runner.run(work)
    state.save(Path(args.state))
    print(
        f"prepared {len(state.tokens)} members ({state.method}) in {state.seconds:.1f} s; "
        f"state in {args.state}"
    )
    return 0


def run(_settings: Settings, args: argparse.Namespace) -> int:
    from rich.console import Console

    from godwit.bench import plot, report
    from godwit.bench.runner import PHASES, Run, RunOptions
    from godwit.bench.state import BenchState

    _quiet_http_log()
    try:
        state = BenchState.load(Path(args.state))
    except (OSError, ValueError, KeyError) as error:
        print(f"godwit bench: cannot read the state file {args.state}: {error}")
        print("make one with `godwit bench prepare` first")
        return 2
    if args.url:
        state.base_url = args.url.rstrip("/")
    phases = tuple(p for p in args.phases.split(",") if p)
    unknown = set(phases) - set(PHASES)
    if unknown:
        print(f"godwit bench: unknown phases {sorted(unknown)}; choose from {PHASES}")
        return 2
    options = RunOptions(
        phases=phases,
        step_seconds=args.step_seconds,
        warmup_seconds=args.warmup_seconds,
        signup_seconds=args.signup_seconds or args.step_seconds,
        baseline_rates=args.baseline_rates,
        signup_rates=args.signup_rates,
        follow_rates=args.follow_rates,
        ingest_rates=args.ingest_rates,
        mixed_rates=args.mixed_rates,
        surge_read_rate=args.surge_read_rate,
        processes=args.processes,
        connections=args.connections,
        timeout=args.timeout,
        arrivals=args.arrivals,
        fanout_method=args.fanout_method,
        fanout_watchers=args.fanout_watchers,
        fanout_timeout=args.fanout_timeout,
        fanout_settle_seconds=args.fanout_settle_seconds,
        idle_wait_seconds=args.idle_wait_seconds,
        fanout_targets=args.fanout_targets,
        stack_pids=tuple(args.stack_pid),
        stack_names=tuple(args.stack_name),
        data_paths=tuple(args.data_path),
        baseline_workers=args.baseline_workers,
        seed=args.seed,
        label=args.label,
    )
    console = Console()
    with _progress_bar() as bar:
        task = bar.add_task("starting", total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        bench = Run(state, options, progress, lambda line: bar.console.log(line))
        with _runner() as runner:
            results = runner.run(bench.execute())
    out = Path(args.out)
    report.write_json(results, out / "results.json")
    report.write_text(results, out / "results.txt")
    plot.draw(results, out / "latency.png")
    report.print_report(results, console)
    console.print(f"results: {out / 'results.json'}, {out / 'results.txt'}, {out / 'latency.png'}")
    return 0


def baseline_server(settings: Settings, args: argparse.Namespace) -> int:
    import os
    import tempfile

    import uvicorn

    from godwit.bench import baseline

    with tempfile.TemporaryDirectory(prefix="godwit-bench-baseline-") as folder:
        database = Path(folder) / "page.sqlite3"
        baseline.create_database(database)
        os.environ[baseline.DB_ENV] = str(database)
        # The same uvicorn settings as ``godwit serve`` (loop and HTTP parser on auto, log
        # level info, access log as GODWIT_ACCESS_LOG says: off by default), so the ratio
        # compares applications, not servers.
        target: Any = "godwit.bench.baseline:app" if args.workers > 1 else baseline.app
        uvicorn.run(
            target,
            host=args.host,
            port=args.port,
            log_level="info",
            access_log=settings.access_log,
            workers=args.workers,
        )
    return 0


def _prepare_parser(sub: Any) -> None:
    p = sub.add_parser("prepare", help="create the dataset (untimed) and write the state file")
    p.add_argument("--url", help="the server (default: this instance's base URL)")
    p.add_argument("--state", default=DEFAULT_STATE, help=f"state file ({DEFAULT_STATE})")
    p.add_argument("--edges", help="an 'a b' edge list, e.g. ../shared/datasets/socfb-Reed98.edges")
    p.add_argument("--directed", action="store_true", help="edge list: do not follow both ways")
    p.add_argument("--members", type=int, default=962, help="synthetic graph size (962)")
    p.add_argument("--mean-out", type=float, default=40.0, help="mean follows per member (40)")
    p.add_argument(
        "--probes",
        type=_ints,
        default=(10, 1000, 10000),
        help="planted fan-out probe accounts' follower counts (10,1000,10000)",
    )
    p.add_argument("--posts", type=int, default=9620, help="posts written before the run")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--active-share", type=float, default=0.2, help="members who act (0.2)")
    p.add_argument("--prefix", default="bench", help="username prefix (bench)")
    p.add_argument("--concurrency", type=int, default=16, help="API requests at once (16)")
    p.add_argument(
        "--direct",
        action="store_true",
        help="Godwit only: seed this instance's database directly (fast path)",
    )
    p.add_argument(
        "--eager-keys",
        action="store_true",
        help="with --direct: make every member's RSA key pair now, not on first use",
    )
    p.set_defaults(handler=prepare)


def _run_parser(sub: Any) -> None:
    p = sub.add_parser("run", help="run the benchmark phases against a prepared server")
    p.add_argument("--state", default=DEFAULT_STATE)
    p.add_argument("--url", help="override the server URL stored in the state file")
    p.add_argument("--out", default="bench/results", help="results folder (bench/results)")
    p.add_argument("--label", default="", help="a name for this run, kept in the results")
    p.add_argument("--phases", default="baseline,signup,follow,ingest,mixed,fanout")
    p.add_argument("--step-seconds", type=float, default=30.0, help="each load step (30)")
    p.add_argument(
        "--warmup-seconds", type=float, default=5.0, help="unrecorded, before each ramp (5)"
    )
    p.add_argument("--signup-seconds", type=float, default=0.0, help="sign-up steps (= step)")
    p.add_argument("--baseline-rates", type=_floats, default=(500, 1000, 2000, 4000, 8000, 16000))
    p.add_argument("--signup-rates", type=_floats, default=(5, 10, 20, 40))
    p.add_argument("--follow-rates", type=_floats, default=(25, 50, 100, 200, 400, 800))
    p.add_argument("--ingest-rates", type=_floats, default=(25, 50, 100, 200, 400, 800))
    p.add_argument("--mixed-rates", type=_floats, default=(50, 100, 200, 400, 800, 1600, 3200))
    p.add_argument("--surge-read-rate", type=float, default=200.0)
    p.add_argument("--processes", type=int, default=1, help="load generator processes (1)")
    p.add_argument("--connections", type=int, default=256, help="connection pool per process")
    p.add_argument("--timeout", type=float, default=10.0, help="request timeout, seconds")
    p.add_argument("--arrivals", choices=("constant", "exponential"), default="constant")
    p.add_argument("--fanout-method", choices=("stream", "poll"), default="stream")
    p.add_argument("--fanout-watchers", type=int, default=200)
    p.add_argument("--fanout-timeout", type=float, default=30.0)
    p.add_argument(
        "--fanout-settle-seconds",
        type=float,
        default=300.0,
        help="wait at most this long for fan-out queued earlier to drain (300; 0: don't)",
    )
    p.add_argument(
        "--idle-wait-seconds",
        type=float,
        default=180.0,
        help="before each phase, wait at most this long for the stack to go idle (180; 0: don't)",
    )
    p.add_argument("--fanout-targets", type=_ints, default=(10, 1000, 10000))
    p.add_argument(
        "--stack-pid",
        type=int,
        action="append",
        default=[],
        help="a process of the server's stack (its children count too); repeat",
    )
    p.add_argument(
        "--stack-name",
        action="append",
        default=[],
        help="count every process of this name (postgres, redis-server); repeat",
    )
    p.add_argument(
        "--data-path",
        action="append",
        default=[],
        help="a file or folder holding the server's data, for disk per post",
    )
    p.add_argument("--baseline-workers", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(handler=run)


def register(sub: Any) -> None:
    parser = sub.add_parser("bench", help="benchmark a Mastodon-compatible server over HTTP")
    actions = parser.add_subparsers(dest="bench_command", required=True)
    _prepare_parser(actions)
    _run_parser(actions)
    p = actions.add_parser("baseline-server", help="serve the bare ASGI baseline app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8799)
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(handler=baseline_server)
