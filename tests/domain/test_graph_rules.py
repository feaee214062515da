"""Pure rules of the social graph: relationships from edges, mute expiry, languages."""

from __future__ import annotations

import datetime as dt

import pytest

from godwit.domain.errors import Invalid
from godwit.domain.graph import (
    FollowOptions,
    GraphFacts,
    MuteState,
    follow_options,
    mute_active,
    mute_expiry,
    normalise_languages,
    relationship,
    severed_by_block,
    unique_ids,
)

NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)


def test_an_account_with_no_edges_has_an_all_false_relationship() -> None:
    rel = relationship(7, GraphFacts())
    assert rel.id == 7
    assert not any(
        (
            rel.following,
            rel.followed_by,
            rel.blocking,
            rel.blocked_by,
            rel.muting,
            rel.requested,
            rel.requested_by,
            rel.showing_reblogs,
            rel.notifying,
        )
    )
    assert rel.languages is None
    assert rel.muting_expires_at is None


def test_following_shows_the_follow_options() -> None:
    facts = GraphFacts(
        following={7: FollowOptions(show_reblogs=False, notify=True, languages=("en",))},
        followed_by={7},
    )
    rel = relationship(7, facts)
    assert rel.following
    assert rel.followed_by
    assert rel.showing_reblogs is False
    assert rel.notifying is True
    assert rel.languages == ("en",)
    assert not rel.requested


def test_a_pending_request_shows_its_options_but_is_not_following() -> None:
    facts = GraphFacts(requested={7: FollowOptions(show_reblogs=True, notify=True)})
    rel = relationship(7, facts)
    assert rel.requested
    assert not rel.following
    assert rel.showing_reblogs
    assert rel.notifying


def test_blocks_and_mutes_are_reported_per_direction() -> None:
    expires = NOW + dt.timedelta(hours=1)
    facts = GraphFacts(
        blocked_by={7},
        blocking={8},
        muting={7: MuteState(hide_notifications=False, expires_at=expires)},
        requested_by={8},
    )
    seven, eight = relationship(7, facts), relationship(8, facts)
    assert seven.blocked_by
    assert not seven.blocking
    assert seven.muting
    assert not seven.muting_notifications
    assert seven.muting_expires_at == expires
    assert eight.blocking
    assert not eight.blocked_by
    assert not eight.muting
    assert eight.requested_by


@pytest.mark.parametrize("duration", [None, 0])
def test_a_mute_without_duration_never_expires(duration: int | None) -> None:
    assert mute_expiry(NOW, duration) is None
    assert mute_active(None, NOW + dt.timedelta(days=10_000))


def test_a_mute_with_duration_expires_then() -> None:
    expires = mute_expiry(NOW, 3600)
    assert expires == NOW + dt.timedelta(hours=1)
    assert mute_active(expires, NOW + dt.timedelta(minutes=59))
    assert not mute_active(expires, NOW + dt.timedelta(hours=1))


def test_a_huge_duration_is_capped_and_a_negative_one_refused() -> None:
    expires = mute_expiry(NOW, 10**15)
    assert expires is not None
    assert expires.year < NOW.year + 101
    with pytest.raises(Invalid) as caught:
        mute_expiry(NOW, -5)
    assert "duration" in caught.value.details


def test_languages_are_normalised_and_validated() -> None:
    assert normalise_languages(None) is None
    assert normalise_languages([]) is None
    assert normalise_languages(["EN", "de", "en"]) == ("en", "de")
    with pytest.raises(Invalid):
        normalise_languages(["english!"])
    with pytest.raises(Invalid):
        normalise_languages(["en"] * 101)


def test_follow_options_keep_current_values_for_omitted_parameters() -> None:
    new = follow_options(None, reblogs=None, notify=None, languages=None, languages_given=False)
    assert new == FollowOptions(show_reblogs=True, notify=False, languages=None)
    current = FollowOptions(show_reblogs=False, notify=True, languages=("fr",))
    kept = follow_options(current, reblogs=None, notify=None, languages=None, languages_given=False)
    assert kept == current
    changed = follow_options(
        current, reblogs=True, notify=False, languages=None, languages_given=True
    )
    assert changed == FollowOptions(show_reblogs=True, notify=False, languages=None)


def test_a_block_severs_following_both_ways() -> None:
    assert set(severed_by_block(1, 2)) == {(1, 2), (2, 1)}


def test_unique_ids_keep_first_seen_order() -> None:
    assert unique_ids([3, 1, 3, 2, 1]) == [3, 1, 2]
