"""Access tokens sealed (AES-256-GCM) under a key derived from the server's secret.

Mastodon's push payload carries the subscription's access token; Godwit stores tokens only
as hashes (decision 0008), so the subscription keeps the token sealed instead: a leaked
database alone does not reveal it. Sealed under another secret (the secret changed), it
cannot be opened, and the payload goes out with an empty token.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1."
_INFO = b"godwit push access token v1"
_NONCE_BYTES = 12


class AesGcmTokenSealer:
    def __init__(self, secret: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
            secret.encode("utf-8")
        )
        self._aead = AESGCM(key)

    def seal(self, token: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, token.encode("utf-8"), _INFO)
        return VERSION + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def unseal(self, sealed: str) -> str | None:
        if not sealed.startswith(VERSION):
            return None
        try:
            raw = base64.urlsafe_b64decode(sealed.removeprefix(VERSION).encode("ascii"))
            plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _INFO)
            return plain.decode("utf-8")
        except (InvalidTag, ValueError, binascii.Error, UnicodeError):
            return None
