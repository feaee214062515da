"""present_to_readers: in one batch, each reader gets what ``present_statuses`` gives it alone.

A small community covers every rule that tells readers apart: follows (a followers-only
post), blocks either way, a mute, a domain block, a direct post's mention, "hide" and
"warn" filters, an exclusive list, and what a reader did to a status (favourite,
bookmark, poll vote). For every status and every reader, in every context, the batched
answer must equal the one-reader answer; a few spot checks prove the cases are real.
Run on SQLite and, in CI, on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from godwit.app import Components
from godwit.config import Settings
from godwit.domain.filters import KeywordChange
from godwit.domain.lists import RepliesPolicy
from godwit.domain.polls import PollRequest
from godwit.domain.posts import StatusView
from godwit.services.filters import FilterChanges
from godwit.services.presenting import present_statuses
from godwit.services.presenting_many import Reader, present_to_readers
from godwit.services.statuses import PostRequest
from tests.api.tier3_helpers import make_remote_account, remote_status
from tests.factories import make_member
from tests.support.query_count import counting_statements

WHERE = (("home", True), ("public", False), ("thread", False), (None, False))
# (status, reader, context): whether the reader is shown the status there.
SPOT_CHECKS = {
    ("private", "follower", "public"): True,
    ("private", "stranger", "public"): False,
    ("private", "anonymous", "public"): False,
    ("direct", "mentioned", "public"): True,
    ("direct", "follower", "public"): False,
    ("poll", "blocker", "public"): False,
    ("poll", "blocked", "public"): False,
    ("poll", "muter", "public"): False,
    ("plain", "muter", "public"): True,
    ("reblog", "muter", "public"): False,
    ("reblog", "blocker", "public"): False,
    ("remote", "domain_blocker", "public"): False,
    ("remote", "stranger", "public"): True,
    ("poll", "hider", "public"): False,
    ("poll", "hider", "thread"): True,
    ("poll", "lister", "home"): False,
    ("poll", "lister", "public"): True,
    ("reblog", "lister", "home"): True,
    ("poll", "anonymous", "public"): True,
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(run_jobs_in_process=False)


@dataclass
class Community:
    statuses: dict[str, int]
    readers: dict[str, int | None]
    author_id: int
    lister_id: int


async def _community(components: Components) -> Community:
    services = components.services
    names = "alice bob follower stranger blocker blocked muter hider warner lister mentioned"
    ids = {name: (await make_member(components, name)).account_id for name in names.split()}
    ids["domain_blocker"] = (await make_member(components, "domainblocker")).account_id
    alice, bob = ids["alice"], ids["bob"]
    for name in ("follower", "lister", "hider", "warner", "muter"):
        await services.graph.follow(ids[name], alice)
    await services.graph.block(ids["blocker"], alice)
    await services.graph.block(alice, ids["blocked"])
    await services.graph.mute(ids["muter"], alice)
    await services.domain_blocks.block(ids["domain_blocker"], "remote.example")
    for name, action in (("hider", "hide"), ("warner", "warn")):
        await services.filters.create(
            ids[name],
            FilterChanges(
                title="fruit",
                context=["home", "public"],
                action=action,
                keywords=[KeywordChange(id=None, keyword="pineapple", whole_word=True)],
            ),
        )
    shelf = await services.lists.create(ids["lister"], "close", RepliesPolicy.LIST, True)
    await services.lists.add_members(ids["lister"], shelf.id, [alice])

    statuses = services.statuses
    poll = await statuses.create(
        alice,
        PostRequest(
            text="pineapple poll", poll=PollRequest(options=("yes", "no"), expires_in=3600)
        ),
    )
    private = await statuses.create(alice, PostRequest(text="for followers", visibility="private"))
    direct = await statuses.create(alice, PostRequest(text="hello @mentioned", visibility="direct"))
    reblog = await statuses.reblog(poll.status.id, bob)
    plain = await statuses.create(bob, PostRequest(text="bob speaks"))
    assert poll.poll is not None
    await services.polls.vote(poll.poll.poll.id, ids["follower"], [1])
    await statuses.favourite(poll.status.id, ids["follower"])
    await services.status_marks.bookmark(poll.status.id, ids["follower"])
    remote = await make_remote_account(components, "far", "remote.example")
    faraway = await remote_status(components, remote, "from afar")
    return Community(
        statuses={
            "poll": poll.status.id,
            "private": private.status.id,
            "direct": direct.status.id,
            "reblog": reblog.status.id,
            "plain": plain.status.id,
            "remote": faraway,
        },
        readers={**ids, "anonymous": None},
        author_id=alice,
        lister_id=ids["lister"],
    )


async def _alone(
    components: Components, community: Community, status_id: int, reader: Reader
) -> StatusView | None:
    """The one-reader answer: ``present_statuses``, and the home rule of exclusive lists."""
    async with components.store.read() as tx:
        views = await present_statuses(
            tx, [status_id], reader.viewer_id, context=reader.context, hide_muted=True
        )
    if not views:
        return None
    view = views[0]
    kept_out = reader.viewer_id == community.lister_id and view.account.id == community.author_id
    return None if reader.home and kept_out else view


async def test_each_reader_gets_what_it_would_alone(components: Components) -> None:
    community = await _community(components)
    readers = [
        Reader(viewer_id, context, home)
        for viewer_id in community.readers.values()
        for context, home in WHERE
    ]
    answers: dict[tuple[str, str, str | None], StatusView | None] = {}
    for label, status_id in community.statuses.items():
        async with components.store.read() as tx:
            batch = await present_to_readers(tx, status_id, readers)
        for reader, got in zip(readers, batch, strict=True):
            assert got == await _alone(components, community, status_id, reader), (label, reader)
            name = next(n for n, v in community.readers.items() if v == reader.viewer_id)
            answers[(label, name, reader.context)] = got

    # The cases are real: each rule hides or changes something for someone.
    for (label, name, context), shown in SPOT_CHECKS.items():
        assert (answers[(label, name, context)] is not None) == shown, (label, name, context)
    warned = answers[("poll", "warner", "home")]
    assert warned is not None
    assert warned.filtered
    mine = answers[("poll", "follower", "home")]
    assert mine is not None
    assert (mine.viewer.favourited, mine.viewer.bookmarked) == (True, True)
    assert mine.poll is not None
    assert mine.poll.own_votes == (1,)
    assert mine.viewer_id == community.readers["follower"]
    theirs = answers[("poll", "stranger", "home")]
    assert theirs is not None
    assert not theirs.viewer.favourited
    assert theirs.poll is not None
    assert theirs.poll.own_votes == ()
    anonymous = answers[("poll", "anonymous", None)]
    assert anonymous is not None
    assert anonymous.poll is not None
    assert (anonymous.poll.own_votes, anonymous.viewer_id) == (None, None)
    reblogged = answers[("reblog", "follower", "home")]
    assert reblogged is not None
    assert reblogged.reblog is not None
    assert reblogged.reblog.viewer.favourited


async def test_query_count_does_not_grow_with_readers(components: Components) -> None:
    community = await _community(components)
    everyone = list(community.readers.values())

    async def statements_for(viewers: list[int | None]) -> int:
        readers = [Reader(viewer_id, "home", True) for viewer_id in viewers]
        with counting_statements() as statements:
            async with components.store.read() as tx:
                await present_to_readers(tx, community.statuses["poll"], readers)
        return len(statements)

    few = await statements_for(everyone[:3])
    assert few == await statements_for(everyone)
    assert few == await statements_for(everyone * 3)


async def test_a_missing_status_is_none_for_everyone(components: Components) -> None:
    community = await _community(components)
    readers = [Reader(viewer_id) for viewer_id in community.readers.values()]
    async with components.store.read() as tx:
        assert await present_to_readers(tx, 12345, readers) == [None] * len(readers)
