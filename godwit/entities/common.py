"""Formatting shared by every entity."""

from __future__ import annotations

import datetime as dt


def iso(moment: dt.datetime) -> str:
    """Mastodon's timestamp format: ``2019-12-05T11:34:47.196Z``."""
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def iso_or_none(moment: dt.datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


def day(moment: dt.datetime | None) -> str | None:
    """``YYYY-MM-DD`` (Account.last_status_at)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d") if moment is not None else None


def midnight(moment: dt.datetime) -> str:
    """Account.created_at is reported at midnight UTC, as Mastodon does."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT00:00:00.000Z")
