from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from godwit.security.keys import RsaKeyPairGenerator
from godwit.security.pool import BoundedPool


@pytest.fixture
def pool() -> Iterator[BoundedPool]:
    made = BoundedPool(1, name="test-keys")
    yield made
    made.shutdown()


async def test_generates_a_matching_2048_bit_rsa_pair_in_pem(pool: BoundedPool) -> None:
    pair = await RsaKeyPairGenerator(pool).generate()
    assert pair.public_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert pair.private_pem.startswith("-----BEGIN PRIVATE KEY-----")
    private = serialization.load_pem_private_key(pair.private_pem.encode(), password=None)
    public = serialization.load_pem_public_key(pair.public_pem.encode())
    assert isinstance(private, rsa.RSAPrivateKey)
    assert isinstance(public, rsa.RSAPublicKey)
    assert private.key_size == 2048
    signature = private.sign(b"activity", padding.PKCS1v15(), hashes.SHA256())
    public.verify(signature, b"activity", padding.PKCS1v15(), hashes.SHA256())  # raises if not


async def test_each_pair_is_new(pool: BoundedPool) -> None:
    generator = RsaKeyPairGenerator(pool)
    first, second = await generator.generate(), await generator.generate()
    assert first.public_pem != second.public_pem
