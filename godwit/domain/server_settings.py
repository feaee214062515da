"""Server settings admins change at runtime, and the rules for their values.

They are stored in ``server_settings`` (one JSON value per key) and laid over the
environment's defaults (``GODWIT_INSTANCE_TITLE`` …): a key never changed keeps following
the configuration. Rules are rows of their own (``instance_rules``).
"""

from __future__ import annotations

from dataclasses import dataclass

from godwit.domain.accounts import email_problems
from godwit.domain.errors import Invalid

REGISTRATION_MODES = ("open", "approval", "closed")
MAX_TITLE = 100
MAX_DESCRIPTION = 5000
MAX_CHARS_LIMIT = 100_000
MAX_RULE_TEXT = 300
MAX_RULE_HINT = 1000
MAX_RULES = 100

# The server_settings keys and the Settings field each overrides.
TITLE = "instance_title"
DESCRIPTION = "instance_description"
CONTACT_EMAIL = "contact_email"
REGISTRATION_MODE = "registration_mode"
MAX_STATUS_CHARS = "max_status_chars"
KEYS = (TITLE, DESCRIPTION, CONTACT_EMAIL, REGISTRATION_MODE, MAX_STATUS_CHARS)


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """A partial update: None leaves a setting as it is."""

    title: str | None = None
    description: str | None = None
    contact_email: str | None = None
    registration_mode: str | None = None
    max_status_chars: int | None = None


def _invalid(field: str, code: str, description: str) -> Invalid:
    return Invalid(f"Validation failed: {field} {description}", {field: [(code, description)]})


def _too_long(field: str, maximum: int) -> Invalid:
    return _invalid(field, "ERR_TOO_LONG", f"is too long (maximum is {maximum} characters)")


def validated(change: SettingsChange) -> dict[str, object]:
    """The server_settings values the change sets, keyed by setting; Invalid if any is bad."""
    values: dict[str, object] = {}
    if change.title is not None:
        title = change.title.strip()
        if not title:
            raise _invalid("title", "ERR_BLANK", "can't be blank")
        if len(title) > MAX_TITLE:
            raise _too_long("title", MAX_TITLE)
        values[TITLE] = title
    if change.description is not None:
        if len(change.description) > MAX_DESCRIPTION:
            raise _too_long("description", MAX_DESCRIPTION)
        values[DESCRIPTION] = change.description.strip()
    if change.contact_email is not None:
        email = change.contact_email.strip()
        if email and email_problems(email):
            raise _invalid("contact_email", "ERR_INVALID", "is invalid")
        values[CONTACT_EMAIL] = email
    if change.registration_mode is not None:
        if change.registration_mode not in REGISTRATION_MODES:
            raise _invalid("registration_mode", "ERR_INCLUSION", "is not included in the list")
        values[REGISTRATION_MODE] = change.registration_mode
    if change.max_status_chars is not None:
        if not 1 <= change.max_status_chars <= MAX_CHARS_LIMIT:
            raise _invalid(
                "max_status_chars", "ERR_INCLUSION", f"must be between 1 and {MAX_CHARS_LIMIT}"
            )
        values[MAX_STATUS_CHARS] = change.max_status_chars
    return values


def check_rule(text: str, hint: str) -> tuple[str, str]:
    text, hint = text.strip(), hint.strip()
    if not text:
        raise _invalid("text", "ERR_BLANK", "can't be blank")
    if len(text) > MAX_RULE_TEXT:
        raise _too_long("text", MAX_RULE_TEXT)
    if len(hint) > MAX_RULE_HINT:
        raise _too_long("hint", MAX_RULE_HINT)
    return text, hint


def status_char_limit(default: int, stored: object) -> int:
    """The character limit in force: a well-formed stored value, else the configuration's."""
    if isinstance(stored, int) and not isinstance(stored, bool) and 1 <= stored <= MAX_CHARS_LIMIT:
        return stored
    return default
