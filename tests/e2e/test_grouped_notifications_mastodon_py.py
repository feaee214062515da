"""Grouped notifications, the notification policy and notification requests through
Mastodon.py 2.x against a live server (as Phanpy, Elk and Ivory use them)."""

from __future__ import annotations

from typing import Any

import pytest
from mastodon import MastodonNotFoundError

from tests.e2e.conftest import Person, SignUp
from tests.support.waiting import eventually


def _groups(result: Any) -> list[tuple[str, int]]:
    return [(g["type"], g["notifications_count"]) for g in result["notification_groups"]]


def test_grouped_notifications_end_to_end(sign_up: SignUp) -> None:
    star = sign_up("gstar")
    fans = [sign_up(f"gfan{n}") for n in range(4)]
    post = star.api.status_post("group my likes")
    for fan in fans:
        fan.api.status_favourite(post["id"])
    fans[0].api.account_follow(star.account_id)
    fans[1].api.account_follow(star.account_id)
    fans[2].api.status_post(f"hello @{star.username}")

    grouped = eventually(
        lambda: star.api.grouped_notifications(),
        lambda got: [t for t, _ in _groups(got)] == ["mention", "follow", "favourite"],
        what="a mention, grouped follows and grouped favourites",
    )
    assert _groups(grouped) == [("mention", 1), ("follow", 2), ("favourite", 4)]
    mention, _, likes = grouped["notification_groups"]
    assert mention["group_key"].startswith("ungrouped-")
    assert str(likes["status_id"]) == str(post["id"])
    assert [str(a) for a in likes["sample_account_ids"]] == [f.account_id for f in reversed(fans)]
    # Mastodon.py asks for partial avatars by default: one full account per group.
    assert {str(a["id"]) for a in grouped["accounts"]} == {
        fans[2].account_id,
        fans[1].account_id,
        fans[3].account_id,
    }
    assert [str(a["id"]) for a in grouped["partial_accounts"]] == [fans[0].account_id]
    assert [str(s["id"]) for s in grouped["statuses"]][1:] == [str(post["id"])]

    # Pagination through the Link header.
    first = star.api.grouped_notifications(limit=2, expand_accounts="full")
    assert _groups(first) == [("mention", 1), ("follow", 2)]
    second = star.api.fetch_next(first)
    assert second is not None
    # As Mastodon: the page ends at the follows' newest, so the older follow comes next (its
    # count covers only what lies below the first page).
    assert _groups(second) == [("follow", 1), ("favourite", 4)]

    key = likes["group_key"]
    one = star.api.grouped_notification(key)
    assert _groups(one) == [("favourite", 4)]
    senders = star.api.grouped_notification_accounts(key)
    assert [str(a["id"]) for a in senders] == [f.account_id for f in reversed(fans)]
    assert star.api.unread_grouped_notifications_count() == 3
    # Only follows may group: four likes alone, the follows together, the mention.
    assert star.api.unread_grouped_notifications_count(grouped_types=["follow"]) == 6

    star.api.dismiss_grouped_notification(key)
    with pytest.raises(MastodonNotFoundError):
        star.api.grouped_notification(key)
    assert _groups(star.api.grouped_notifications()) == [("mention", 1), ("follow", 2)]


def _request_from(person: Person, sender: Person) -> Any:
    return eventually(
        lambda: person.api.notification_requests(),
        lambda got: [str(r["account"]["id"]) for r in got] == [sender.account_id],
        what=f"a notification request from {sender.username}",
    )[0]


def test_notification_policy_and_requests_end_to_end(sign_up: SignUp) -> None:
    picky, stranger, other = sign_up("ppicky"), sign_up("pstranger"), sign_up("pother")
    policy = picky.api.notifications_policy()
    assert policy["for_private_mentions"] == "filter"
    assert policy["summary"]["pending_requests_count"] == 0
    updated = picky.api.update_notifications_policy(for_not_following="filter")
    assert updated["for_not_following"] == "filter"
    assert picky.api.notifications_policy()["for_not_following"] == "filter"

    post = picky.api.status_post("strangers welcome?")
    stranger.api.status_favourite(post["id"])
    stranger.api.account_follow(picky.account_id)
    request = _request_from(picky, stranger)
    assert request["notifications_count"] == "2"
    assert str(request["last_status"]["id"]) == str(post["id"])
    assert str(picky.api.notification_request(request["id"])["id"]) == str(request["id"])
    assert picky.api.notifications() == []
    filtered = picky.api.grouped_notifications(include_filtered=True)
    assert len(filtered["notification_groups"]) == 2
    assert picky.api.notifications_policy()["summary"] == {
        "pending_requests_count": 1,
        "pending_notifications_count": 2,
    }

    picky.api.accept_notification_request(request["id"])
    assert picky.api.notifications_merged() is True
    assert {n["type"] for n in picky.api.notifications()} == {"favourite", "follow"}
    assert list(picky.api.notification_requests()) == []

    other.api.account_follow(picky.account_id)
    second = _request_from(picky, other)
    picky.api.dismiss_multiple_notification_requests([second["id"]])
    assert list(picky.api.notification_requests()) == []
    # Dismissed: the other's follow is gone even with include_filtered.
    everything = picky.api.grouped_notifications(include_filtered=True)
    assert _groups(everything) == [("follow", 1), ("favourite", 1)]
    assert {str(a["id"]) for a in everything["accounts"]} == {stranger.account_id}
