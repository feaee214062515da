"""Payload encryption in both wire formats, VAPID tokens, and sealed access tokens."""

from __future__ import annotations

import json
import time

import http_ece
import pytest

from godwit.domain.push import PushMessage, decode_base64
from godwit.push.crypto import PushCryptoError, encrypt, generate_vapid_keys, vapid_token
from godwit.push.sealing import AesGcmTokenSealer
from tests.support.push_endpoint import ClientKeys, unb64url, verify_vapid_jwt

PAYLOAD = json.dumps({"title": "Ünïcode ✓", "body": "x" * 500}).encode()


def _message(keys: ClientKeys, *, standard: bool) -> PushMessage:
    return PushMessage(
        endpoint="https://push.example.net:8443/send/abc?x=1",
        p256dh=keys.p256dh,
        auth=keys.auth_b64,
        standard=standard,
        payload=PAYLOAD,
        vapid=generate_vapid_keys(),
        subject="https://godwit.test",
    )


def test_vapid_keys_are_a_p256_pair() -> None:
    keys = generate_vapid_keys()
    assert len(unb64url(keys.public_key)) == 65
    assert len(unb64url(keys.private_key)) == 32
    assert "private_key" not in repr(keys)  # never logged
    claims = verify_vapid_jwt(
        vapid_token(keys, "https://a.example", "mailto:x@y.z"), keys.public_key
    )
    assert claims["aud"] == "https://a.example"
    assert claims["sub"] == "mailto:x@y.z"
    assert claims["exp"] > time.time()


def test_aes128gcm_round_trip() -> None:
    keys = ClientKeys.generate()
    message = _message(keys, standard=True)
    body, headers = encrypt(message)
    assert PAYLOAD not in body
    plain = http_ece.decrypt(
        body, private_key=keys.private_key, auth_secret=keys.auth, version="aes128gcm"
    )
    assert plain == PAYLOAD
    token = headers["Authorization"].removeprefix("vapid t=").split(",k=")[0]
    claims = verify_vapid_jwt(token, message.vapid.public_key)
    assert claims["aud"] == "https://push.example.net:8443"
    # Another subscriber's keys cannot read it.
    other = ClientKeys.generate()
    with pytest.raises(http_ece.ECEException):
        http_ece.decrypt(
            body, private_key=other.private_key, auth_secret=other.auth, version="aes128gcm"
        )


def test_legacy_aesgcm_round_trip() -> None:
    keys = ClientKeys.generate()
    message = _message(keys, standard=False)
    body, headers = encrypt(message)
    crypto_key = dict(part.split("=", 1) for part in headers["Crypto-Key"].split(";"))
    plain = http_ece.decrypt(
        body,
        salt=unb64url(headers["Encryption"].removeprefix("salt=")),
        private_key=keys.private_key,
        dh=unb64url(crypto_key["dh"]),
        auth_secret=keys.auth,
        version="aesgcm",
    )
    assert plain == PAYLOAD
    assert crypto_key["p256ecdsa"] == message.vapid.public_key
    assert headers["Authorization"].startswith("WebPush ")


def test_unusable_keys_raise_a_crypto_error() -> None:
    keys = ClientKeys.generate()
    message = _message(keys, standard=True)
    bad = PushMessage(**{**{f: getattr(message, f) for f in message.__slots__}, "p256dh": "BAAA"})
    with pytest.raises(PushCryptoError):
        encrypt(bad)
    assert decode_base64("%%%") is None


def test_sealed_tokens_open_only_under_the_same_secret() -> None:
    sealer = AesGcmTokenSealer("secret one")
    sealed = sealer.seal("the-access-token")
    assert "the-access-token" not in sealed
    assert sealer.seal("the-access-token") != sealed  # a fresh nonce every time
    assert sealer.unseal(sealed) == "the-access-token"
    assert AesGcmTokenSealer("secret two").unseal(sealed) is None
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    assert sealer.unseal(tampered) is None
    assert sealer.unseal("") is None
    assert sealer.unseal("v1.!!!") is None
