"""``godwit bench prepare --direct``: the documented fast path for Godwit only.

Signing a benchmark's members up through the API costs one argon2 hash each (about 25 a
second on two cores) plus a request per follow and per post. For Godwit, the dataset can
instead be written straight into the database by the seeding service that ``godwit
demo`` uses (``godwit/services/seeding.py``: one shared password hash, every row computed
in memory and written in one transaction; each member's key pair is made lazily on first
use unless ``--eager-keys``), then each member gets an access token through the OAuth
service (an authorization code issued and exchanged, as the consent page would). The
timed phases still run over HTTP only.

Run it against the database the server uses (the same ``GODWIT_DATABASE_URL``), on a
fresh instance: it refuses when any of the members exists already.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from godwit.bench.client import OOB, SCOPES
from godwit.bench.dataset import DatasetSpec, build
from godwit.bench.state import BenchState
from godwit.config import Settings

# (phase, done, total): the seeding service's "keys", "plan" and "write", then "tokens".
Progress = Callable[[str, int, int], None]
HISTORY_DAYS = 30  # members join, follow, then post over the last ten of these days


async def prepare_direct(
    settings: Settings,
    spec: DatasetSpec,
    base_url: str,
    progress: Progress,
    *,
    lazy_keys: bool = True,
) -> BenchState:
    from godwit.app import Components
    from godwit.domain.seeding import SeedCommunity, SeedFollow, SeedMember, SeedPost

    started = time.monotonic()
    dataset = build(spec)
    now = dt.datetime.now(dt.UTC)
    joined = now - dt.timedelta(days=HISTORY_DAYS)
    followed = now - dt.timedelta(days=HISTORY_DAYS - 5)
    first_post = now - dt.timedelta(days=10)
    step = dt.timedelta(days=10) / (len(dataset.posts) + 1)
    count = dataset.graph.members
    community = SeedCommunity(
        members=tuple(
            SeedMember(
                username=dataset.usernames[m],
                email=dataset.email(m),
                display_name=dataset.usernames[m].title(),
                bio="",
                joined=joined + dt.timedelta(milliseconds=m),
            )
            for m in range(count)
        ),
        follows=tuple(
            SeedFollow(a, b, followed + dt.timedelta(microseconds=n))
            for n, (a, b) in enumerate(dataset.graph.edges())
        ),
        posts=tuple(
            SeedPost(author, text, first_post + step * (n + 1))
            for n, (author, text) in enumerate(dataset.posts)
        ),
        reactions=(),
    )
    components = Components(settings.replace(run_jobs_in_process=False))
    await components.start()
    try:
        services = components.services
        # Lazy keys by default: an RSA key per member (~60 ms of CPU each) would be most of
        # the preparation, and nothing in a benchmark run federates. Each member's key pair
        # is made on its first use (AccountService.key_pair), as with GODWIT_LAZY_ACCOUNT_KEYS.
        seeded = await services.seeding.seed(
            community, spec.password, progress, lazy_keys=lazy_keys
        )
        app, _secret = await services.oauth.register_app(
            name="godwit-bench", redirect_uris=OOB, scopes=SCOPES, website=None
        )
        request = await services.oauth.authorization_request(
            client_id=app.client_id,
            redirect_uri=OOB,
            response_type="code",
            scope=SCOPES,
            state=None,
            code_challenge=None,
            code_challenge_method=None,
        )
        # Every user: the seeded members and whoever the instance had before them.
        everyone = await services.accounts.list_users(limit=2**62)
        users = {user.account_id: user for user, _account in everyone}
        tokens: list[str] = []
        progress("tokens", 0, count)
        for account_id in seeded.account_ids:
            code = await services.oauth.issue_code(request, users[account_id])
            issued = await services.oauth.exchange_code(
                app, code=code, redirect_uri=OOB, verifier=None
            )
            tokens.append(issued.access_token)
            progress("tokens", len(tokens), count)
    finally:
        await components.stop()
    ids = [str(account_id) for account_id in seeded.account_ids]
    return BenchState(base_url, "direct", spec, ids, tokens, time.monotonic() - started)
