"""A PNG of p99 latency against offered load, one line per phase and endpoint, drawn with
Pillow (already a dependency; see docs/decisions for why not matplotlib). Both axes are
logarithmic; dashed lines mark the SLOs (200 ms home, 500 ms post)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from godwit.bench.report import RAMPS, ramp_of

WIDTH, HEIGHT = 1100, 700
LEFT, RIGHT, TOP, BOTTOM = 90, 300, 50, 70
COLOURS = [
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
    (0, 0, 0), (255, 187, 120), (152, 223, 138), (174, 199, 232), (197, 176, 213),
]  # fmt: skip
SLO_LINES = ((200.0, "home SLO 200 ms"), (500.0, "post SLO 500 ms"))

Series = tuple[str, list[tuple[float, float]]]


def series_of(results: dict[str, Any]) -> list[Series]:
    """(label, [(offered rps, p99 ms)]) per phase and endpoint."""
    found: list[Series] = []
    for title, keys in RAMPS:
        ramp = ramp_of(results, keys)
        if ramp is None:
            continue
        lines: dict[str, list[tuple[float, float]]] = {}
        primary = ramp.get("primary") or ""
        for step in ramp["steps"]:
            # A ramp's x is its own rate (sign-ups/s, not sign-ups plus the reads beside).
            offered = float(step["rates"].get(primary, step["offered_rps"]))
            for name, summary in step["endpoints"].items():
                if summary.get("p99_ms"):
                    lines.setdefault(name, []).append((offered, float(summary["p99_ms"])))
        for name, points in lines.items():
            found.append((f"{title}: {name}", points))
    return found


def _decades(low: float, high: float) -> list[float]:
    return [
        10.0**power for power in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
    ]


def draw(results: dict[str, Any], path: Path) -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    pen = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14)
    small = ImageFont.load_default(size=12)
    lines = series_of(results)
    xs = [x for _, points in lines for x, _ in points] or [1.0, 10.0]
    ys = [y for _, points in lines for _, y in points] + [s for s, _ in SLO_LINES]
    x_ticks, y_ticks = _decades(min(xs), max(xs)), _decades(max(0.1, min(ys)), max(ys))
    x_low, x_high = math.log10(x_ticks[0]), math.log10(x_ticks[-1]) or 1.0
    y_low, y_high = math.log10(y_ticks[0]), math.log10(y_ticks[-1])
    x_high = x_high if x_high > x_low else x_low + 1
    y_high = y_high if y_high > y_low else y_low + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def at(x: float, y: float) -> tuple[float, float]:
        px = LEFT + (math.log10(x) - x_low) / (x_high - x_low) * plot_w
        py = TOP + plot_h - (math.log10(max(y, 1e-3)) - y_low) / (y_high - y_low) * plot_h
        return px, py

    title = "p99 latency against offered load"
    if results.get("label"):
        title += f": {results['label']}"  # the bundled font has no dashes
    pen.text((LEFT, 15), title, fill="black", font=font)
    pen.rectangle((LEFT, TOP, LEFT + plot_w, TOP + plot_h), outline="black")
    for tick in x_ticks:
        px, _ = at(tick, y_ticks[0])
        pen.line((px, TOP, px, TOP + plot_h), fill=(225, 225, 225))
        pen.text((px - 15, TOP + plot_h + 8), f"{tick:g}", fill="black", font=small)
    for tick in y_ticks:
        _, py = at(x_ticks[0], tick)
        pen.line((LEFT, py, LEFT + plot_w, py), fill=(225, 225, 225))
        pen.text((LEFT - 60, py - 7), f"{tick:g} ms", fill="black", font=small)
    pen.text((LEFT + plot_w // 2 - 80, HEIGHT - 35), "offered load (requests/s)", fill="black",
             font=font)  # fmt: skip
    for slo, label in SLO_LINES:
        _, py = at(x_ticks[0], slo)
        for start in range(LEFT, LEFT + plot_w, 12):
            pen.line((start, py, min(start + 6, LEFT + plot_w), py), fill=(200, 0, 0))
        pen.text((LEFT + 5, py - 16), label, fill=(200, 0, 0), font=small)
    for number, (label, points) in enumerate(lines):
        colour = COLOURS[number % len(COLOURS)]
        coords = [at(x, y) for x, y in sorted(points)]
        if len(coords) > 1:
            pen.line(coords, fill=colour, width=2)
        for px, py in coords:
            pen.ellipse((px - 3, py - 3, px + 3, py + 3), fill=colour)
        legend_y = TOP + number * 20
        pen.line((WIDTH - RIGHT + 15, legend_y + 8, WIDTH - RIGHT + 40, legend_y + 8),
                 fill=colour, width=3)  # fmt: skip
        pen.text((WIDTH - RIGHT + 45, legend_y), label, fill="black", font=small)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG")
