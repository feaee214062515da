"""The headline figures of a run (spec §5's target table), each with its ratio to the
bare 20-row page measured in the same run."""

from __future__ import annotations

from typing import Any


def _best(phases: dict[str, Any], name: str, key: str = "best_rps") -> Any:
    phase = phases.get(name)
    return phase.get(key) if isinstance(phase, dict) else None


def _best_step(phases: dict[str, Any], name: str, key: str) -> Any:
    phase = phases.get(name)
    if not isinstance(phase, dict) or phase.get("best_rps") is None:
        return None
    for step in phase["steps"]:
        if step["passed"] and step["offered_rps"] == phase["best_rps"]:
            return step.get(key)
    return None


def headline(results: dict[str, Any]) -> dict[str, Any]:
    """The figures of spec §5's target table, each with its ratio to the bare page."""
    phases = results["phases"]
    base = phases.get("baseline", {})
    page = (base.get("page") or {}).get("best_rps")
    hello = (base.get("hello") or {}).get("best_rps")

    def ratio(value: Any) -> float | None:
        return round(value / page, 4) if value and page else None

    figures: dict[str, Any] = {
        "bare_hello_rps": hello,
        "bare_page_rps": page,
        "signups_rps": _best(phases, "signup"),
        "follows_rps": _best(phases, "follow"),
        "posts_rps": _best(phases, "ingest"),
        "mixed_dsb_rps": _best(phases, "mixed_dsb"),
        "mixed_twitter_rps": _best(phases, "mixed_twitter"),
    }
    figures["ratio_to_bare_page"] = {
        key: ratio(value)
        for key, value in figures.items()
        if key.endswith("_rps") and key not in ("bare_page_rps",)
    }
    figures["stack_cpu_seconds_per_1000"] = {
        name: _best_step(phases, name, "stack_cpu_seconds_per_1000")
        for name in ("ingest", "mixed_dsb", "mixed_twitter")
    }
    fanout = phases.get("fanout", {}).get("probes", [])
    figures["fanout_p99_ms"] = {
        str(probe["author_followers"]): probe["delay"]["p99_ms"] for probe in fanout
    }
    footprint = phases.get("footprint", {})
    figures["idle_rss_bytes"] = footprint.get("idle_rss_bytes")
    figures["peak_rss_bytes"] = footprint.get("peak_rss_bytes")
    figures["disk_bytes_per_1m_posts"] = (footprint.get("disk") or {}).get("bytes_per_1m_posts")
    return figures
