"""Security adapters: argon2id password hashing and RSA key generation on bounded pools."""
