"""Pub/sub adapters for live streaming (the port is godwit/ports/pubsub.py)."""
