"""The compose form as data: a draft read from a submitted form, checked before anything is
stored, and shown again (with its problems) when it cannot be published.

A draft keeps everything the member gave: text, content warning, visibility, the poll and
the images already uploaded (by id, with their alt text), so a rejected post is never
retyped or re-chosen.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from godwit.domain.errors import Invalid
from godwit.domain.ids import parse_id
from godwit.domain.media import MAX_ATTACHMENTS_PER_STATUS, MAX_DESCRIPTION_CHARS
from godwit.domain.polls import MAX_OPTION_CHARS, MAX_OPTIONS, PollRequest, validate_poll
from godwit.domain.posting import MAX_SPOILER_CHARS
from godwit.domain.text import countable_length
from godwit.web import forms

VISIBILITIES = (
    ("public", "Public", "Anyone can see it, in every timeline"),
    ("unlisted", "Quiet public", "Anyone can see it, kept out of public timelines"),
    ("private", "Followers only", "Only your followers can see it"),
    ("direct", "Mentioned people only", "Only the people you mention can see it"),
)
# From most to least visible: a reply is never more visible than what it answers.
_OPENNESS = tuple(value for value, _, _ in VISIBILITIES)

POLL_DURATIONS = (
    (300, "5 minutes"),
    (1800, "30 minutes"),
    (3600, "1 hour"),
    (6 * 3600, "6 hours"),
    (86400, "1 day"),
    (3 * 86400, "3 days"),
    (7 * 86400, "7 days"),
)
DEFAULT_POLL_DURATION = 86400
SLOTS = tuple(range(1, MAX_ATTACHMENTS_PER_STATUS + 1))
MAX_TEXT_INPUT = 100_000  # raw cap before counting; the real limit is the server's
IDEMPOTENCY_KEY_CHARS = 64


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class ImageSlot:
    """One of the four image inputs: a new file, or an upload kept from a rejected try."""

    number: int
    description: str = ""
    media_id: int | None = None  # an own upload not yet attached (kept from before)
    media: dict[str, Any] | None = None  # its MediaAttachment entity, for the preview
    remove: bool = False


@dataclass
class Draft:
    text: str = ""
    spoiler_text: str = ""
    visibility: str = "public"
    sensitive: bool = False
    in_reply_to_id: int | None = None
    idempotency_key: str = field(default_factory=new_idempotency_key)
    poll_options: list[str] = field(default_factory=lambda: [""] * MAX_OPTIONS)
    poll_expires_in: int = DEFAULT_POLL_DURATION
    poll_multiple: bool = False
    images: list[ImageSlot] = field(default_factory=lambda: [ImageSlot(n) for n in SLOTS])

    @property
    def has_poll(self) -> bool:
        return any(option.strip() for option in self.poll_options)

    @property
    def kept_media_ids(self) -> tuple[int, ...]:
        return tuple(s.media_id for s in self.images if s.media_id is not None and not s.remove)

    def poll_request(self) -> PollRequest | None:
        if not self.has_poll:
            return None
        options = tuple(option for option in self.poll_options if option.strip())
        return PollRequest(options, self.poll_expires_in, self.poll_multiple, False)


def read_draft(form: FormData) -> Draft:
    """The draft a compose form sent; malformed values fall back to defaults."""
    visibility = forms.text(form, "visibility", max_length=16)
    duration = forms.text(form, "poll_expires_in", max_length=10)
    options = forms.texts(
        form, "poll_options", max_items=MAX_OPTIONS, max_length=4 * MAX_OPTION_CHARS
    )
    key = forms.text(form, "idempotency_key", max_length=IDEMPOTENCY_KEY_CHARS)
    draft = Draft(
        text=forms.text(form, "status", max_length=MAX_TEXT_INPUT),
        spoiler_text=forms.text(form, "spoiler_text", max_length=MAX_SPOILER_CHARS),
        visibility=visibility if visibility in _OPENNESS else "public",
        sensitive=forms.checked(form, "sensitive"),
        in_reply_to_id=parse_id(forms.text(form, "in_reply_to_id", max_length=20)),
        idempotency_key=key or new_idempotency_key(),
        poll_options=(options + [""] * MAX_OPTIONS)[:MAX_OPTIONS],
        poll_expires_in=int(duration) if duration.isascii() and duration.isdigit() else 0,
        poll_multiple=forms.checked(form, "poll_multiple"),
    )
    for slot in draft.images:
        n = slot.number
        slot.description = forms.text(
            form, f"description_{n}", max_length=MAX_DESCRIPTION_CHARS + 1
        ).strip()
        slot.media_id = parse_id(forms.text(form, f"media_id_{n}", max_length=20))
        slot.remove = forms.checked(form, f"remove_{n}")
    return draft


def reply_visibility(default: str, reply_to: dict[str, Any] | None) -> str:
    """The member's default, narrowed to the replied post's visibility when that is
    narrower (a followers-only post is not answered in public by default)."""
    chosen = default if default in _OPENNESS else "public"
    parent = reply_to.get("visibility") if reply_to else None
    if isinstance(parent, str) and parent in _OPENNESS:
        return max(chosen, parent, key=_OPENNESS.index)
    return chosen


def reply_mentions(reply_to: dict[str, Any], own_acct: str) -> str:
    """``@author @others `` to start a reply with, the member left out."""
    names = [reply_to["account"]["acct"]] + [m["acct"] for m in reply_to.get("mentions", [])]
    mentions = " ".join(f"@{name}" for name in dict.fromkeys(names) if name != own_acct)
    return f"{mentions} " if mentions else ""


def check_draft(draft: Draft, max_chars: int, images: int) -> dict[str, str]:
    """What stops the draft from being published, by field (before anything is stored).

    ``images`` is how many images the post would carry. The service checks all of this
    again; checking here first gives each field its own message."""
    problems: dict[str, str] = {}
    used = countable_length(draft.text.strip(), draft.spoiler_text.strip())
    if used > max_chars:
        over = used - max_chars
        problems["text"] = (
            f"Your post is {over} character{'s' if over != 1 else ''} over the limit of "
            f"{max_chars}. Shorten it and try again."
        )
    elif not draft.text.strip() and not images:
        problems["text"] = "Write something, or add an image."
    if draft.has_poll:
        if images:
            problems["poll"] = "A post can have images or a poll, not both."
        else:
            try:
                validate_poll(draft.poll_request() or PollRequest((), 0))
            except Invalid as error:
                problems["poll"] = friendly(error)
    for slot in draft.images:
        if len(slot.description) > MAX_DESCRIPTION_CHARS:
            problems[f"image_{slot.number}"] = (
                f"The alt text of image {slot.number} is longer than "
                f"{MAX_DESCRIPTION_CHARS} characters."
            )
    return problems


def friendly(error: Invalid) -> str:
    """A service's message as a sentence for the page ("Validation failed: " dropped)."""
    message = error.message.removeprefix("Validation failed: ").strip() or "That did not work."
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


def problem_field(error: Invalid) -> str:
    """Which part of the form a service's refusal is about."""
    for name in error.details:
        if name == "text":
            return "text"
        if name == "poll":
            return "poll"
        if name in ("media_ids", "file", "description"):
            return "images"
    return "form"


def form_context(
    draft: Draft,
    *,
    max_chars: int,
    accept: str,
    reply_to: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What ``macros/compose.html`` needs to show the form with this draft."""
    used = countable_length(draft.text.strip(), draft.spoiler_text.strip())
    return {
        "max_chars": max_chars,
        "remaining": max_chars - used,
        "text": draft.text,
        "spoiler_text": draft.spoiler_text,
        "spoiler_max": MAX_SPOILER_CHARS,
        "visibility": draft.visibility,
        "visibilities": VISIBILITIES,
        "sensitive": draft.sensitive,
        "reply_to": reply_to,
        "idempotency_key": draft.idempotency_key,
        "images": list(draft.images),
        "images_open": any(slot.media for slot in draft.images)
        or any(key == "images" or key.startswith("image_") for key in problems or {}),
        "accept": accept,
        "description_max": MAX_DESCRIPTION_CHARS,
        "poll_options": draft.poll_options,
        "poll_option_max": MAX_OPTION_CHARS,
        "poll_expires_in": draft.poll_expires_in or DEFAULT_POLL_DURATION,
        "poll_durations": POLL_DURATIONS,
        "poll_multiple": draft.poll_multiple,
        "poll_open": draft.has_poll or "poll" in (problems or {}),
        "problems": problems or {},
    }
