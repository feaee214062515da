"""RSA key pairs for accounts (HTTP signatures in federation), made on a bounded pool."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from godwit.domain.accounts import KeyPair
from godwit.security.pool import BoundedPool

# 2048 bits with e=65537 is what Mastodon and the wider fediverse use.
KEY_BITS = 2048


def generate_rsa_key_pair(bits: int = KEY_BITS) -> KeyPair:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private_pem = private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode("ascii")
    public_pem = (
        private_key.public_key()
        .public_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode("ascii")
    )
    return KeyPair(public_pem=public_pem, private_pem=private_pem)


class RsaKeyPairGenerator:
    def __init__(self, pool: BoundedPool, bits: int = KEY_BITS) -> None:
        self._pool = pool
        self._bits = bits

    async def generate(self) -> KeyPair:
        return await self._pool.run(generate_rsa_key_pair, self._bits)
