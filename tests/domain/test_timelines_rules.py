"""Pure feed rules: who receives a post, how pages merge, when feeds are trimmed."""

from __future__ import annotations

from godwit.domain.jobs import backoff_seconds
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import Visibility
from godwit.domain.timelines import (
    FeedItem,
    FeedPost,
    ReaderFacts,
    TimelineScope,
    delivers_to_mentions,
    entry_key,
    fans_out_to_followers,
    home_accepts,
    mention_accepts,
    merge_page,
    next_window,
    normalise_tag,
    trim_due,
)

AUTHOR, READER, OTHER = 1, 2, 3


def post(**fields: object) -> FeedPost:
    values: dict[str, object] = {
        "status_id": 100,
        "author_id": AUTHOR,
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return FeedPost(**values)  # type: ignore[arg-type]


def test_entry_key_groups_a_reblog_with_its_original() -> None:
    assert entry_key(5, None) == 5
    assert entry_key(9, 5) == 5
    assert post(status_id=9, reblog_of_id=5).entry_key == 5


def test_followers_get_plain_posts_unless_they_shun_the_author() -> None:
    assert home_accepts(post(), ReaderFacts(READER))
    assert home_accepts(post(visibility=Visibility.PRIVATE), ReaderFacts(READER))
    assert not home_accepts(post(), ReaderFacts(READER, shuns=frozenset({AUTHOR})))


def test_direct_posts_never_reach_followers_as_such() -> None:
    assert not home_accepts(post(visibility=Visibility.DIRECT), ReaderFacts(READER))
    assert home_accepts(post(visibility=Visibility.DIRECT), ReaderFacts(AUTHOR))


def test_reblog_rules() -> None:
    boost = post(reblog_of_id=50, original_author_id=OTHER)
    assert home_accepts(boost, ReaderFacts(READER))
    assert not home_accepts(boost, ReaderFacts(READER, show_reblogs=False))
    assert not home_accepts(boost, ReaderFacts(READER, shuns=frozenset({OTHER})))
    assert not home_accepts(boost, ReaderFacts(OTHER))  # the original's author


def test_replies_reach_those_who_follow_the_replied_to_account() -> None:
    reply = post(in_reply_to_account_id=OTHER)
    assert not home_accepts(reply, ReaderFacts(READER))
    assert home_accepts(reply, ReaderFacts(READER, follows=frozenset({OTHER})))
    assert home_accepts(reply, ReaderFacts(OTHER))
    assert home_accepts(post(in_reply_to_account_id=AUTHOR), ReaderFacts(READER))  # a thread


def test_mentions_are_delivered_unless_the_author_is_shunned() -> None:
    assert mention_accepts(post(), ReaderFacts(READER))
    assert not mention_accepts(post(), ReaderFacts(READER, shuns=frozenset({AUTHOR})))


def test_fan_out_threshold_and_direct_posts() -> None:
    assert fans_out_to_followers(post(), 10, 10)
    assert not fans_out_to_followers(post(), 11, 10)
    assert not fans_out_to_followers(post(visibility=Visibility.DIRECT), 1, 10)
    assert delivers_to_mentions(post(), 11, 10)
    assert delivers_to_mentions(post(visibility=Visibility.DIRECT), 1, 10)
    assert not delivers_to_mentions(post(), 1, 10)


def test_merge_page_orders_limits_and_de_duplicates() -> None:
    feed = [FeedItem(9, 9), FeedItem(7, 3), FeedItem(5, 5)]
    merged = [FeedItem(8, 8), FeedItem(6, 3), FeedItem(3, 3)]
    # 3, 6 and 7 share a key: the oldest in the window wins.
    assert merge_page([feed, merged], PageRequest(limit=10)) == [9, 8, 5, 3]
    assert merge_page([feed, merged], PageRequest(limit=3)) == [9, 8, 7]
    # min_id pages keep the items just above the cursor.
    assert merge_page([feed, merged], PageRequest(limit=2, min_id=1)) == [5, 3]


def test_next_window_moves_past_what_was_scanned() -> None:
    older = next_window(PageRequest(limit=5, since_id=2), [9, 7, 6])
    assert (older.max_id, older.since_id) == (6, 2)
    newer = next_window(PageRequest(limit=5, min_id=2), [9, 7, 6])
    assert newer.ascending
    assert newer.min_id == 9


def test_trim_is_occasional_and_deterministic() -> None:
    decisions = [trim_due(READER, status_id) for status_id in range(1 << 20, (1 << 20) + 1600)]
    assert decisions == [trim_due(READER, s) for s in range(1 << 20, (1 << 20) + 1600)]
    assert 50 < sum(decisions) < 150  # about one in sixteen
    assert trim_due(READER, 123, every=1)


def test_scope_and_tag_names() -> None:
    assert TimelineScope.of(True, False) == "local"
    assert TimelineScope.of(False, True) == "remote"
    assert TimelineScope.of(None, None) == "all"
    assert normalise_tag("#Cats ") == "cats"


def test_backoff_grows_is_jittered_and_capped() -> None:
    assert backoff_seconds(1, rand=lambda: 0.0) == 1.0
    assert backoff_seconds(1, rand=lambda: 1.0) == 2.0
    assert backoff_seconds(4, rand=lambda: 0.0) == 8.0
    assert backoff_seconds(50, rand=lambda: 1.0) == 3600.0
    assert backoff_seconds(10_000, rand=lambda: 0.5) <= 3600.0
    delays = {backoff_seconds(3) for _ in range(20)}
    assert len(delays) > 1
    assert all(4.0 <= delay <= 8.0 for delay in delays)
