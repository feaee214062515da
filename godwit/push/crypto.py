"""Web Push cryptography with the web-push-libs packages: ``http_ece`` encrypts the payload,
``py_vapid`` loads the instance key and signs the VAPID token.

Two wire formats, chosen per subscription by its ``standard`` flag, as in Mastodon 4.4+:
RFC 8291 ``aes128gcm`` with ``Authorization: vapid t=…,k=…`` (RFC 8292), and the legacy
``aesgcm`` draft with ``Encryption``/``Crypto-Key`` headers and ``Authorization: WebPush …``,
which is what Mastodon sends when an app does not ask for the standard (and what apps written
against Mastodon before 4.4, Mastodon.py's decryptor among them, understand).
"""

from __future__ import annotations

import os
import time

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from py_vapid.jwt import sign as sign_jwt

from godwit.domain.push import (
    VAPID_TOKEN_SECONDS,
    PushMessage,
    VapidKeys,
    decode_base64,
    encode_base64url,
    endpoint_origin,
)

SALT_BYTES = 16


class PushCryptoError(ValueError):
    """The subscription's keys or the instance's key cannot be used."""


def _public_bytes(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def generate_vapid_keys() -> VapidKeys:
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return VapidKeys(
        public_key=encode_base64url(_public_bytes(key)), private_key=encode_base64url(private)
    )


def vapid_token(keys: VapidKeys, audience: str, subject: str, now: float | None = None) -> str:
    """A signed ES256 JWT naming the push service (aud), an expiry and who we are (sub)."""
    issued = int(time.time() if now is None else now)
    signer = Vapid02.from_raw(keys.private_key.encode("ascii"))
    claims = {"aud": audience, "exp": issued + VAPID_TOKEN_SECONDS, "sub": subject}
    return str(sign_jwt(claims, signer.private_key))


def encrypt(message: PushMessage) -> tuple[bytes, dict[str, str]]:
    """The encrypted body and every header of one push request."""
    receiver = decode_base64(message.p256dh)
    auth = decode_base64(message.auth)
    if receiver is None or auth is None:
        raise PushCryptoError("the subscription's keys are not base64")
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    token = vapid_token(message.vapid, endpoint_origin(message.endpoint), message.subject)
    headers = {
        "Content-Type": "application/octet-stream",
        "TTL": str(message.ttl),
        "Urgency": message.urgency,
    }
    try:
        if message.standard:
            body = http_ece.encrypt(
                message.payload,
                private_key=ephemeral,
                dh=receiver,
                auth_secret=auth,
                version="aes128gcm",
            )
            headers["Content-Encoding"] = "aes128gcm"
            headers["Authorization"] = f"vapid t={token},k={message.vapid.public_key}"
        else:
            salt = os.urandom(SALT_BYTES)
            body = http_ece.encrypt(
                message.payload,
                salt=salt,
                private_key=ephemeral,
                dh=receiver,
                auth_secret=auth,
                version="aesgcm",
            )
            headers["Content-Encoding"] = "aesgcm"
            headers["Encryption"] = f"salt={encode_base64url(salt)}"
            dh = encode_base64url(_public_bytes(ephemeral))
            headers["Crypto-Key"] = f"dh={dh};p256ecdsa={message.vapid.public_key}"
            headers["Authorization"] = f"WebPush {token}"
    except (ValueError, http_ece.ECEException) as error:
        raise PushCryptoError(f"could not encrypt: {error}") from error
    return bytes(body), headers
