"""The Jinja2 environment of the web app and the filters its templates use.

Autoescaping is on for every template. The only values marked safe are HTML fragments that
pass ``rich_text`` here, at render time, whatever the database holds: post content, bios
and profile field values go through the same strict nh3 allow-list that made them
(``domain/text.sanitise``), so a row written by an older release, a restore or a future
federation bug still cannot inject markup.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from godwit.domain.text import sanitise
from godwit.web.assets import asset_url

_HERE = Path(__file__).parent


def rich_text(fragment: object) -> Markup:
    """Sanitised HTML of a post, bio or field, safe to place in a page."""
    if not isinstance(fragment, str) or not fragment:
        return Markup("")
    return Markup(sanitise(fragment))  # noqa: S704 (nh3 allow-list: p, br, a, span)


def local_path(url: object, base_url: str) -> str:
    """A link to this server as a path (pages stay on whatever host served them)."""
    if not isinstance(url, str):
        return "#"
    base = base_url.rstrip("/")
    if url.startswith(base + "/"):
        return url[len(base) :]
    return url if urlsplit(url).scheme in ("http", "https") else "#"


def profile_path(account: dict[str, Any]) -> str:
    return "/@" + quote(str(account.get("acct", "")), safe="@.")


def status_path(status: dict[str, Any]) -> str:
    return f"{profile_path(status['account'])}/{status['id']}"


def _parse(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return None


def relative_time(value: object, now: dt.datetime | None = None) -> str:
    """'now', '5m', '3h', '2d', then a date: the compact form timelines use."""
    moment = _parse(value)
    if moment is None:
        return ""
    seconds = int(((now or dt.datetime.now(dt.UTC)) - moment).total_seconds())
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    if seconds < 7 * 86400:
        return f"{seconds // 86400}d"
    return moment.strftime("%-d %b %Y")


def full_time(value: object) -> str:
    moment = _parse(value)
    return moment.strftime("%-d %B %Y, %H:%M UTC") if moment else ""


def iso_time(value: object) -> str:
    moment = _parse(value)
    return moment.isoformat() if moment else ""


def plural(count: object, singular: str, many: str | None = None) -> str:
    number = count if isinstance(count, int) else 0
    word = singular if number == 1 else (many or singular + "s")
    return f"{number:,} {word}"


def _build() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["asset"] = asset_url
    environment.filters.update(
        {
            "rich": rich_text,
            "local_path": local_path,
            "profile_path": profile_path,
            "status_path": status_path,
            "ago": relative_time,
            "full_time": full_time,
            "iso_time": iso_time,
            "plural": plural,
        }
    )
    return environment


ENVIRONMENT = _build()
