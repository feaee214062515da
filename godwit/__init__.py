"""Godwit: a microblogging server a community can run anywhere."""

__version__ = "0.1.0"
