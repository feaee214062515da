"""``godwit bench``: a load harness for any server that speaks the Mastodon client API.

It drives the server under test only over HTTP (httpx), so the same run measures Godwit,
Mastodon, Takahē or GoToSocial (``../shared/specs/benchmark.md``). It never imports Godwit's
services or storage (import-linter forbids it); the one Godwit-specific shortcut, seeding a
dataset straight into the database, lives in ``godwit/commands/bench.py``.

Modules: ``graph`` and ``dataset`` (what to create, deterministic from a seed), ``state``
(the prepared dataset's file), ``client`` (httpx calls for preparation and streaming),
``prepare`` (creating the dataset through the API), ``schedule`` (the open-loop load
generator), ``wire`` (the lean HTTP/1.1 client the timed requests go through), ``stats``,
``workload`` (request mixes), ``ramp`` (rates stepped up until the SLOs break), ``fanout``
(post-to-timeline delay), ``footprint`` (/proc sampling), ``baseline`` and
``baseline_process`` (the bare ASGI app measured in the same run), ``runner`` (a run's
phases), ``headline``, ``report`` and ``plot``.
"""
