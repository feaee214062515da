"""Opaque secrets (tokens, codes, client secrets): made random, stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are 256-bit random values, so a fast unsalted hash is safe to store and look up."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
