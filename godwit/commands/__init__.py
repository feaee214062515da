"""Subcommands of the ``godwit`` CLI. Each module exposes ``register(subparsers)``."""
