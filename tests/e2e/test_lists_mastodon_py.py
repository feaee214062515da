"""Lists through Mastodon.py against a live server: create, members, the list timeline,
exclusive lists, unfollow removing a member, and deletion."""

from __future__ import annotations

import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError

from tests.e2e.conftest import SignUp


def test_lists_end_to_end(sign_up: SignUp) -> None:
    owner, ann, bob, stranger = (sign_up(name) for name in ("lowner", "lann", "lbob", "lstr"))
    owner.api.account_follow(ann.account_id)
    owner.api.account_follow(bob.account_id)

    birds = owner.api.list_create("Birds", replies_policy="followed", exclusive=True)
    assert birds["title"] == "Birds"
    assert birds["exclusive"] is True
    owner.api.list_accounts_add(birds["id"], [ann.account_id, bob.account_id])
    with pytest.raises(MastodonAPIError):
        owner.api.list_accounts_add(birds["id"], [stranger.account_id])  # not followed
    members = owner.api.list_accounts(birds["id"])
    assert {str(a["id"]) for a in members} == {ann.account_id, bob.account_id}
    assert [str(found["id"]) for found in owner.api.account_lists(ann.account_id)] == [
        str(birds["id"])
    ]

    posted = [str(ann.api.status_post(f"heron sighting {n}")["id"]) for n in range(5)]
    page = owner.api.timeline_list(birds["id"], limit=3)
    seen = [str(status["id"]) for status in page]
    older = owner.api.fetch_next(page)
    assert older is not None
    seen += [str(status["id"]) for status in older]
    assert seen == list(reversed(posted))
    # Exclusive: the members' posts stay out of the owner's home.
    home = {str(status["id"]) for status in owner.api.timeline_home(limit=40)}
    assert not home & set(posted)

    renamed = owner.api.list_update(birds["id"], "Waders", replies_policy="none")
    assert renamed["title"] == "Waders"
    assert renamed["exclusive"] is False  # Mastodon.py sends its default
    assert [found["title"] for found in owner.api.lists()] == ["Waders"]

    owner.api.account_unfollow(bob.account_id)
    assert [str(a["id"]) for a in owner.api.list_accounts(birds["id"])] == [ann.account_id]
    owner.api.list_accounts_delete(birds["id"], [ann.account_id])
    assert list(owner.api.list_accounts(birds["id"])) == []

    with pytest.raises(MastodonNotFoundError):
        stranger.api.list(birds["id"])
    owner.api.list_delete(birds["id"])
    with pytest.raises(MastodonNotFoundError):
        owner.api.list(birds["id"])
