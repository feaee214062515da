"""Adapter: the offline threat scorer (all-MiniLM-L6-v2 in numpy plus a trained head).

Nothing here touches the network or the database. See docs/moderation.md.
"""
