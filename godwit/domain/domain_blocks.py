"""Per-member domain blocks: a member hides everything from one remote server.

Pure rules: what counts as a domain, and its one normal form (lower-case, IDNA), so that
"Example.COM", "example.com." and "https://example.com/" are one block.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from godwit.domain.errors import Invalid

MAX_DOMAIN_LENGTH = 253
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _invalid(description: str) -> Invalid:
    return Invalid(
        f"Validation failed: domain {description}", {"domain": [("ERR_INVALID", description)]}
    )


def normalise_domain(raw: str) -> str:
    """The canonical form of a domain a member typed, or ``Invalid``."""
    text = raw.strip()
    if "://" in text:
        text = urlsplit(text).hostname or ""
    text = text.split("/", 1)[0].rstrip(".").lower()
    if text.startswith("*."):
        text = text[2:]  # Mastodon blocks subdomains with the domain anyway
    try:
        ascii_form = text.encode("idna").decode("ascii") if text else ""
    except UnicodeError:
        raise _invalid("is not a valid domain name") from None
    labels = ascii_form.split(".")
    if (
        not ascii_form
        or len(ascii_form) > MAX_DOMAIN_LENGTH
        or not all(_LABEL.fullmatch(label) for label in labels)
    ):
        raise _invalid("is not a valid domain name")
    return ascii_form


def check_not_own(domain: str, own_domain: str) -> None:
    """A member cannot block the server they are on: that would hide everyone, themselves
    included."""
    own = own_domain.lower().rsplit(":", 1)[0] if ":" in own_domain else own_domain.lower()
    if domain == own or own.endswith("." + domain):
        raise _invalid("cannot be this server's own domain")
