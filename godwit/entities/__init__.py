"""Mastodon JSON entities rendered from domain objects: the only place that knows their shape."""
