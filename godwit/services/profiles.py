"""Profile edits: validating what a member sends and rendering bio and field values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from godwit.domain.accounts import (
    DEFAULT_PRIVACIES,
    MAX_DISPLAY_NAME,
    MAX_FIELD_NAME,
    MAX_FIELD_VALUE,
    MAX_FIELDS,
    MAX_NOTE,
    ProfileField,
)
from godwit.domain.errors import Invalid
from godwit.domain.text import MentionTarget, render

LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")
Problems = dict[str, list[tuple[str, str]]]


@dataclass(frozen=True, slots=True)
class ProfileUpdate:
    """What PATCH update_credentials asked for; None leaves a value unchanged."""

    display_name: str | None = None
    note: str | None = None
    locked: bool | None = None
    bot: bool | None = None
    discoverable: bool | None = None
    indexable: bool | None = None
    fields: tuple[tuple[str, str], ...] | None = None  # (name, value) as written
    privacy: str | None = None
    sensitive: bool | None = None
    language: str | None = None  # "" clears it
    avatar_url: str | None = None  # already processed and stored (MediaService)
    header_url: str | None = None


def _too_long(limit: int) -> tuple[str, str]:
    return ("ERR_TOO_LONG", f"is too long (maximum is {limit} characters)")


def update_problems(update: ProfileUpdate) -> Problems:
    problems: Problems = {}
    if update.display_name is not None and len(update.display_name) > MAX_DISPLAY_NAME:
        problems["display_name"] = [_too_long(MAX_DISPLAY_NAME)]
    if update.note is not None and len(update.note) > MAX_NOTE:
        problems["note"] = [_too_long(MAX_NOTE)]
    if update.fields is not None:
        field_problems = []
        if len(update.fields) > MAX_FIELDS:
            field_problems.append(("ERR_TOO_LONG", f"too many fields (maximum is {MAX_FIELDS})"))
        for name, value in update.fields:
            if len(name) > MAX_FIELD_NAME:
                field_problems.append(_too_long(MAX_FIELD_NAME))
            if len(value) > MAX_FIELD_VALUE:
                field_problems.append(_too_long(MAX_FIELD_VALUE))
        if field_problems:
            problems["fields"] = field_problems
    if update.privacy is not None and update.privacy not in DEFAULT_PRIVACIES:
        problems["source.privacy"] = [("ERR_INCLUSION", "is not included in the list")]
    if update.language and not LANGUAGE_RE.fullmatch(update.language):
        problems["source.language"] = [("ERR_INCLUSION", "is not a valid language code")]
    return problems


_LABELS = {
    "username": "Username",
    "email": "Email",
    "password": "Password",
    "agreement": "Agreement",
    "locale": "Locale",
    "reason": "Reason",
    "display_name": "Display name",
    "note": "Note",
    "fields": "Fields",
    "source.privacy": "Default privacy",
    "source.language": "Default language",
}


def validation_failed(problems: Problems) -> Invalid:
    """Mastodon's message: "Validation failed: Username has already been taken, Email …"."""
    order = list(_LABELS)
    ordered = dict(
        sorted(problems.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)
    )
    parts = [
        f"{_LABELS.get(field, field.capitalize())} {description}"
        for field, entries in ordered.items()
        for _code, description in entries
    ]
    return Invalid("Validation failed: " + ", ".join(parts), ordered)


def render_note(text: str, mentions: Mapping[str, MentionTarget], base_url: str) -> str:
    return render(text, mentions=mentions, base_url=base_url)


def render_field_value(value: str, base_url: str) -> str:
    """A field value is one line of text with links made clickable, without a <p> wrapper."""
    html = render(" ".join(value.split("\n")), mentions={}, base_url=base_url)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def build_fields(pairs: tuple[tuple[str, str], ...], base_url: str) -> tuple[ProfileField, ...]:
    """Rendered fields; pairs with neither a name nor a value are dropped, as Mastodon does."""
    return tuple(
        ProfileField(
            name=name.strip(),
            value=value.strip(),
            value_html=render_field_value(value.strip(), base_url),
        )
        for name, value in pairs
        if name.strip() or value.strip()
    )
