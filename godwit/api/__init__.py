"""The Mastodon client API adapter: HTTP in, services called, Mastodon JSON out."""
