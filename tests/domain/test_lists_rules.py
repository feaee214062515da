"""The list timeline rules, without a database."""

from __future__ import annotations

import pytest

from godwit.domain.errors import Invalid
from godwit.domain.lists import (
    ListPost,
    ListReader,
    RepliesPolicy,
    clean_title,
    list_accepts,
    parse_replies_policy,
)
from godwit.domain.posts import Visibility
from godwit.domain.timelines import FeedPost

OWNER, MEMBER, FOLLOWED, STRANGER, OTHER_MEMBER = 1, 2, 3, 4, 5


def _reply(to: int, author: int = OTHER_MEMBER) -> ListPost:
    return ListPost(FeedPost(10, author, Visibility.PUBLIC, in_reply_to_account_id=to))


def _reader(policy: RepliesPolicy, **facts: frozenset[int]) -> ListReader:
    return ListReader(
        OWNER, policy, follows=frozenset({MEMBER, FOLLOWED}), members=frozenset({MEMBER}), **facts
    )


@pytest.mark.parametrize(
    ("policy", "shown"),
    [
        (RepliesPolicy.FOLLOWED, {MEMBER, FOLLOWED, OWNER}),
        (RepliesPolicy.LIST, {MEMBER, OWNER}),
        (RepliesPolicy.NONE, set()),
    ],
)
def test_replies_policy(policy: RepliesPolicy, shown: set[int]) -> None:
    reader = _reader(policy)
    accepted = {
        to for to in (MEMBER, FOLLOWED, STRANGER, OWNER) if list_accepts(_reply(to), reader)
    }
    assert accepted == shown
    # A self-reply continues a thread: never filtered as a reply.
    assert list_accepts(_reply(MEMBER, author=MEMBER), reader)


def test_direct_shunned_and_unwanted_reblogs_are_refused() -> None:
    reader = _reader(RepliesPolicy.LIST, shuns=frozenset({STRANGER}))
    plain = FeedPost(10, MEMBER, Visibility.PUBLIC)
    assert list_accepts(ListPost(plain), reader)
    assert not list_accepts(ListPost(FeedPost(10, MEMBER, Visibility.DIRECT)), reader)
    assert not list_accepts(ListPost(FeedPost(10, STRANGER, Visibility.PUBLIC)), reader)
    boost = FeedPost(11, MEMBER, Visibility.PUBLIC, reblog_of_id=5, original_author_id=FOLLOWED)
    assert list_accepts(ListPost(boost), reader)
    assert not list_accepts(ListPost(boost, show_reblogs=False), reader)
    of_owner = FeedPost(11, MEMBER, Visibility.PUBLIC, reblog_of_id=5, original_author_id=OWNER)
    assert not list_accepts(ListPost(of_owner), reader)
    of_shunned = FeedPost(11, MEMBER, Visibility.PUBLIC, reblog_of_id=5, original_author_id=4)
    assert not list_accepts(ListPost(of_shunned), reader)
    assert not list_accepts(
        _reply(STRANGER), _reader(RepliesPolicy.FOLLOWED, shuns=frozenset({STRANGER}))
    )


def test_titles_and_policies_are_validated() -> None:
    assert clean_title("  Friends ") == "Friends"
    assert clean_title("x" * 255) == "x" * 255
    for bad in (None, "", "   ", "x" * 256):
        with pytest.raises(Invalid):
            clean_title(bad)
    assert parse_replies_policy(None, RepliesPolicy.LIST) is RepliesPolicy.LIST
    assert parse_replies_policy("none", RepliesPolicy.LIST) is RepliesPolicy.NONE
    with pytest.raises(Invalid):
        parse_replies_policy("all", RepliesPolicy.LIST)
