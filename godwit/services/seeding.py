"""Seeding a whole community at once (``godwit demo``): the documented fast path.

Going through sign-up, posting, following and reacting one request at a time costs an
argon2 hash, an RSA key and a transaction (plus fan-out and notify jobs) per step: minutes
for a community of 200. This use case writes the same data in bulk instead:

1. the one shared password is hashed once (argon2id, on the password pool) and the hash
   reused, since every demo member gets the same password;
2. every member still gets a key pair of their own (federation signs with it): they are
   made on the key pool, a bounded number at a time (or, with lazy keys, left to
   ``AccountService.key_pair`` to make on first use), while ...
3. ... ``godwit.domain.seeding_plan`` computes every row in a worker thread: rendered
   HTML, mentions, tags, counters, notifications and home feeds by the fan-out rules;
4. one write transaction inserts it all in batches, after checking (inside it) that none
   of the members exists yet. A run either writes the whole community or nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from godwit.config import Settings
from godwit.domain.accounts import (
    KeyPair,
    email_problems,
    normalise_email,
    password_problems,
    username_key,
    username_problems,
)
from godwit.domain.errors import Invalid
from godwit.domain.seeding import SeedCommunity, SeedPlan
from godwit.domain.seeding_plan import PlanSettings, plan_community
from godwit.ports.security import KeyPairGenerator, PasswordHasher
from godwit.ports.seeding import SeedStore
from godwit.ports.store import Store

# (phase, done, total): phases are "keys", "plan" and "write".
Progress = Callable[[str, int, int], None]
# Rows per INSERT batch: big enough that statement overhead vanishes, small enough that
# the progress bar moves.
WRITE_BATCH = 2000
# Key pairs requested at once: the pool runs ``workers`` of them and turns callers away
# beyond its queue, so stay well inside it.
KEYS_IN_FLIGHT = 8


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class SeedResult:
    account_ids: tuple[int, ...]  # of each SeedCommunity.members entry
    status_ids: tuple[int, ...]  # of each SeedCommunity.posts entry
    rows: int  # rows written, all tables together (users and mentions included)


def already_there(usernames: Sequence[str], emails: Sequence[str]) -> Invalid:
    names = ", ".join(sorted(usernames)[:3]) or ", ".join(sorted(emails)[:3])
    return Invalid(
        f"{len(usernames) or len(emails)} of the members exist already (for example "
        f"{names}); run the demo on a fresh, empty database",
        {"username": [("ERR_TAKEN", "has already been taken")]},
    )


def input_problems(community: SeedCommunity, password: str) -> list[str]:
    """Why the community cannot be written as asked, in plain words."""
    problems = [f"password {text}" for _, text in password_problems(password)]
    seen: set[str] = set()
    for member in community.members:
        for _, text in username_problems(member.username) + email_problems(member.email):
            problems.append(f"{member.username!r}: {text}")
        if username_key(member.username) in seen:
            problems.append(f"{member.username!r}: appears twice")
        seen.add(username_key(member.username))
    return problems


class SeedingService:
    def __init__(
        self,
        store: Store,
        seeds: SeedStore,
        settings: Settings,
        hasher: PasswordHasher,
        key_pairs: KeyPairGenerator,
    ) -> None:
        self.store = store
        self.seeds = seeds
        self.settings = settings
        self.hasher = hasher
        self.key_pairs = key_pairs

    async def seed(
        self,
        community: SeedCommunity,
        password: str,
        progress: Progress = _quiet,
        *,
        lazy_keys: bool | None = None,
    ) -> SeedResult:
        """Write the community. With ``lazy_keys`` (default: GODWIT_LAZY_ACCOUNT_KEYS) the
        members get no key pair now: `AccountService.key_pair` makes each on first use."""
        if lazy_keys is None:
            lazy_keys = self.settings.lazy_account_keys
        problems = input_problems(community, password)
        if problems:
            raise Invalid("Cannot seed: " + "; ".join(problems[:5]))
        usernames = [member.username for member in community.members]
        async with self.store.read() as tx:
            existing = await tx.accounts.find_local_many(usernames)
        if existing:
            raise already_there(list(existing), [])

        password_hash = await self.hasher.hash(password)  # once: every member shares it
        keys = asyncio.create_task(
            self._no_key_pairs(len(community.members), progress)
            if lazy_keys
            else self._key_pairs(len(community.members), progress)
        )
        events = len(community.posts) + len(community.reactions)
        try:
            # A thread, so the event loop keeps handing key pairs to the pool meanwhile.
            plan = await asyncio.to_thread(
                plan_community,
                community,
                self._plan_settings(),
                lambda done: progress("plan", done, events),
            )
            pairs = await keys
        finally:
            if not keys.done():
                keys.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await keys
        accounts = tuple(
            replace(
                account,
                public_key_pem=pair.public_pem,
                private_key_pem=pair.private_pem,
                password_hash=password_hash,
            )
            for account, pair in zip(plan.accounts, pairs, strict=True)
        )
        await self._write(replace(plan, accounts=accounts), progress)
        await self.seeds.refresh_statistics()
        return SeedResult(
            account_ids=tuple(account.id for account in accounts),
            status_ids=plan.post_ids,
            rows=plan.row_count,
        )

    def _plan_settings(self) -> PlanSettings:
        return PlanSettings(
            base_url=self.settings.base_url,
            domain=self.settings.domain,
            max_status_chars=self.settings.max_status_chars,
            feed_max_length=self.settings.feed_max_length,
            fanout_read_threshold=self.settings.fanout_read_threshold,
        )

    async def _no_key_pairs(self, count: int, progress: Progress) -> list[KeyPair]:
        progress("keys", count, count)
        return [KeyPair(public_pem="", private_pem="")] * count

    async def _key_pairs(self, count: int, progress: Progress) -> list[KeyPair]:
        gate = asyncio.Semaphore(KEYS_IN_FLIGHT)
        made = 0

        async def one() -> KeyPair:
            nonlocal made
            async with gate:
                pair = await self.key_pairs.generate()
            made += 1
            progress("keys", made, count)
            return pair

        return list(await asyncio.gather(*(one() for _ in range(count))))

    async def _write(self, plan: SeedPlan, progress: Progress) -> None:
        async with self.seeds.write() as bulk:
            # Checked again inside the write: nothing may have taken a name meanwhile.
            taken = await bulk.taken_usernames([account.username for account in plan.accounts])
            emails = await bulk.taken_emails([normalise_email(a.email) for a in plan.accounts])
            if taken or emails:
                raise already_there(sorted(taken), sorted(emails))
            # Tags the instance already has are reused, as posting would.
            existing = await bulk.existing_tags([tag.name for tag in plan.tags])
            same_tag = {tag.id: existing[tag.name] for tag in plan.tags if tag.name in existing}
            new_tags = [tag for tag in plan.tags if tag.name not in existing]
            links = [(status, same_tag.get(tag, tag)) for status, tag in plan.status_tags]
            # In foreign-key order.
            steps: list[tuple[Callable[[Any], Awaitable[None]], Sequence[Any]]] = [
                (bulk.add_accounts, plan.accounts),
                (bulk.add_follows, plan.follows),
                (bulk.add_tags, new_tags),
                (bulk.add_statuses, plan.statuses),
                (bulk.add_status_tags, links),
                (bulk.add_favourites, plan.favourites),
                (bulk.add_feed_entries, plan.home_feed),
                (bulk.add_notifications, plan.notifications),
            ]
            await _run_batches(steps, progress)


async def _run_batches(
    steps: Sequence[tuple[Callable[[Any], Awaitable[None]], Sequence[Any]]],
    progress: Progress,
) -> None:
    total = sum(len(rows) for _, rows in steps)
    done = 0
    progress("write", done, total)
    for add, rows in steps:
        for start in range(0, len(rows), WRITE_BATCH):
            batch = rows[start : start + WRITE_BATCH]
            await add(batch)
            done += len(batch)
            progress("write", done, total)
