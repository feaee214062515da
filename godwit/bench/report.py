"""Results as a JSON file and as readable tables (rich), from the run's result dict."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

RAMPS = (
    ("baseline hello", ("baseline", "hello")),
    ("baseline page", ("baseline", "page")),
    ("sign-up surge", ("signup",)),
    ("follow burst", ("follow",)),
    ("ingest", ("ingest",)),
    ("mixed 60/30/10", ("mixed_dsb",)),
    ("mixed 95/3/2", ("mixed_twitter",)),
)


def write_json(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n")


def ramp_of(results: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any] | None:
    node: Any = results.get("phases", {})
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node if isinstance(node, dict) and "steps" in node else None


def _ms(value: Any) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _mb(value: Any) -> str:
    return "—" if value is None else f"{value / 1_048_576:,.1f} MB"


def headline_table(results: dict[str, Any]) -> Table:
    head = results.get("headline", {})
    ratios = head.get("ratio_to_bare_page", {})
    table = Table(title="Headline (highest rate meeting the SLOs)")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("x bare page", justify="right")
    rows = [
        ("bare hello-world", "bare_hello_rps", "req/s"),
        ("bare 20-row page", "bare_page_rps", "req/s"),
        ("sign-ups (p99 < 2 s)", "signups_rps", "/s"),
        ("follows (p99 ≤ 500 ms)", "follows_rps", "/s"),
        ("posts (p99 ≤ 500 ms)", "posts_rps", "/s"),
        ("mixed 60/30/10", "mixed_dsb_rps", "req/s"),
        ("mixed 95/3/2", "mixed_twitter_rps", "req/s"),
    ]
    for label, key, unit in rows:
        value = head.get(key)
        ratio = ratios.get(key)
        table.add_row(
            label,
            "none passed" if value is None else f"{value:,.0f} {unit}",
            "" if ratio is None else f"{ratio:.3f}",
        )
    for followers, p99 in (head.get("fanout_p99_ms") or {}).items():
        table.add_row(f"fan-out p99, {followers} followers", f"{_ms(p99)} ms", "")
    table.add_row("stack RSS idle / peak", f"{_mb(head.get('idle_rss_bytes'))} / "
                  f"{_mb(head.get('peak_rss_bytes'))}", "")  # fmt: skip
    disk = head.get("disk_bytes_per_1m_posts")
    table.add_row("disk per 1M posts", _mb(disk), "")
    return table


def ramp_table(title: str, ramp: dict[str, Any]) -> Table:
    table = Table(title=f"{title} (best: {ramp.get('best_rps') or 'none'})")
    for column in ("offered/s", "ok/s", "endpoint", "p50 ms", "p99 ms", "p99.9 ms", "errors",
                   "gen CPU", "late p99 ms", "CPU s/1k", "pass"):  # fmt: skip
        table.add_column(column, justify="right")
    for step in ramp["steps"]:
        first = True
        for name, summary in step["endpoints"].items():
            table.add_row(
                f"{step['offered_rps']:g}" if first else "",
                f"{summary['throughput_rps']:,.1f}",
                name,
                _ms(summary["p50_ms"]),
                _ms(summary["p99_ms"]),
                _ms(summary["p999_ms"]),
                str(summary["errors"]),
                f"{step['generator_cores']:.2f}" if first else "",
                _ms(step["dispatch_lateness_p99_ms"]) if first else "",
                _ms(step["stack_cpu_seconds_per_1000"]) if first else "",
                ("yes" if step["passed"] else "NO") if first else "",
            )
            first = False
        for name, summary in step.get("extras", {}).items():
            table.add_row("", "", name, _ms(summary["p50_ms"]), _ms(summary["p99_ms"]),
                          _ms(summary["p999_ms"]), "", "", "", "", "")  # fmt: skip
    return table


def fanout_table(fanout: dict[str, Any]) -> Table:
    title = f"Fan-out delay (background {fanout['background_rps']:g} req/s)"
    drain = fanout.get("backlog_drain")
    if drain:
        waited = drain["last_ms"]
        title += (
            "; earlier fan-out not drained in time"
            if waited is None
            else f"; earlier fan-out drained in {waited / 1000:,.1f} s"
        )
    table = Table(title=title)
    for column in ("followers", "watchers", "method", "post ms", "p50 ms", "p99 ms", "last ms",
                   "missed"):  # fmt: skip
        table.add_column(column, justify="right")
    for probe in fanout["probes"]:
        table.add_row(
            str(probe["author_followers"]),
            str(probe["watchers"]),
            probe["method"],
            _ms(probe["post_ms"]),
            _ms(probe["delay"]["p50_ms"]),
            _ms(probe["delay"]["p99_ms"]),
            _ms(probe["last_ms"]),
            str(probe["missed"]),
        )
    return table


def print_report(results: dict[str, Any], console: Console) -> None:
    console.print(headline_table(results))
    for title, keys in RAMPS:
        ramp = ramp_of(results, keys)
        if ramp is not None:
            console.print(ramp_table(title, ramp))
    phases = results.get("phases", {})
    fanout = phases.get("fanout")
    if fanout and "probes" in fanout:
        console.print(fanout_table(fanout))
    for name, phase in phases.items():
        if isinstance(phase, dict) and "error" in phase:
            console.print(f"{name}: failed ({phase['error']})")


def write_text(results: dict[str, Any], path: Path) -> None:
    with path.open("w") as handle:
        print_report(results, Console(file=handle, width=140, color_system=None))
