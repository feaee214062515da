"""Search and filters through Mastodon.py against one live server: /api/v2/search for
accounts, statuses and hashtags (type, limit, offset, account_id, following), and v2
filters with keywords and statuses — warn, blur and hide as timelines apply them."""

from __future__ import annotations

from typing import Any

import pytest
from mastodon import MastodonAPIError

from tests.e2e.client_support import ids, raw
from tests.e2e.conftest import Person, SignUp, mastodon_client
from tests.support.live_server import LiveServer
from tests.support.waiting import eventually


def _statuses(person: Person, q: str, **params: Any) -> list[str]:
    return ids(person.api.search_v2(q, result_type="statuses", **params)["statuses"])


def test_search_accounts_statuses_and_hashtags(live_server: LiveServer, sign_up: SignUp) -> None:
    alice, bob, carol, eve = (sign_up(name) for name in ("sanderling", "sbob", "scarol", "seve"))
    bob.api.account_follow(carol.account_id)
    first = alice.api.status_post("Watching the whimbrel migration #Whimbrels")
    second = carol.api.status_post("A whimbrel on the mudflat at dawn #whimbrels")
    unrelated = alice.api.status_post("Nothing about birds")
    hidden = eve.api.status_post("whimbrel spam")
    bob.api.account_block(eve.account_id)

    # Statuses: every word, best first then newest; blocked authors never.
    found = _statuses(bob, "whimbrel")
    assert set(found) == {str(first["id"]), str(second["id"])}
    assert str(hidden["id"]) not in found
    assert str(unrelated["id"]) not in found
    assert _statuses(bob, "whimbrel dawn") == [str(second["id"])]
    assert _statuses(bob, "whimbrel", account_id=alice.account_id) == [str(first["id"])]
    page = bob.api.search_v2("whimbrel", result_type="statuses", limit=1)
    assert len(page["statuses"]) == 1
    following: Any = bob.api.fetch_next(page)
    assert following is not None
    assert ids(following["statuses"]) == [s for s in found if s != str(page["statuses"][0]["id"])]
    assert _statuses(bob, "whimbrel", limit=1, offset=1) == ids(following["statuses"])
    assert _statuses(bob, "whimbrel", offset=5) == []

    # Accounts: an address puts its account first; ``following`` keeps followed ones.
    prefix = alice.username[:8]
    accounts = bob.api.search_v2(f"@{alice.username}", result_type="accounts")["accounts"]
    assert ids(accounts)[0] == alice.account_id
    assert bob.api.search_v2(prefix, result_type="accounts")["statuses"] == []
    followed = raw(
        bob, "GET", "/api/v2/search", {"q": "s", "type": "accounts", "following": "true"}
    )
    assert ids(followed["accounts"]) == [carol.account_id]
    assert eve.account_id not in ids(
        bob.api.search_v2(eve.username, result_type="accounts")["accounts"]
    )

    # Hashtags, with their history and whether the searcher follows them.
    tags = bob.api.search_v2("#whimb", result_type="hashtags")["hashtags"]
    assert [tag["name"] for tag in tags] == ["Whimbrels"]
    assert tags[0]["following"] is False
    assert int(tags[0]["history"][0]["uses"]) == 2
    assert int(tags[0]["history"][0]["accounts"]) == 2
    bob.api.tag_follow("whimbrels")
    assert bob.api.search_v2("#whimb", result_type="hashtags")["hashtags"][0]["following"] is True
    assert bob.api.tag("WHIMBRELS")["following"] is True
    assert carol.api.tag("whimbrels")["following"] is False

    # Anonymous callers get accounts and hashtags, never statuses, and may not page.
    anonymous = mastodon_client(live_server.base_url)
    result = anonymous.search_v2("whimbrel", resolve=False)
    assert result["statuses"] == []
    assert [tag["name"] for tag in result["hashtags"]] == ["Whimbrels"]
    with pytest.raises(MastodonAPIError):
        anonymous.search_v2("whimbrel", resolve=False, offset=1)
    with pytest.raises(MastodonAPIError):
        bob.api.search_v2("whimbrel", result_type="statuses", limit=0)


def _keyword_filter(person: Person, title: str, words: list[str], **kwargs: Any) -> Any:
    return person.api.create_filter_v2(
        title,
        kwargs.pop("context", ["home", "public", "thread"]),
        kwargs.pop("action", "warn"),
        keywords_attributes=[{"keyword": word, "whole_word": True} for word in words],
        **kwargs,
    )


def _filtered(status: Any) -> list[tuple[str, str]]:
    return [
        (result["filter"]["title"], result["filter"]["filter_action"])
        for result in status["filtered"]
    ]


def test_filters_warn_blur_and_hide_in_timelines(sign_up: SignUp) -> None:
    alice, bob = sign_up("fposter"), sign_up("freader")
    bob.api.account_follow(alice.account_id)
    ending = alice.api.status_post("Spoilers: the film's ending surprised me")
    scam = alice.api.status_post("Crypto giveaway, click now")
    walk = alice.api.status_post("A nice walk on the saltmarsh")

    spoilers = _keyword_filter(bob, "Spoilers", ["ending"])
    assert spoilers["filter_action"] == "warn"
    assert [kw["keyword"] for kw in spoilers["keywords"]] == ["ending"]
    scams = _keyword_filter(bob, "Scams", ["crypto"], context=["home", "public"], action="hide")
    that_one = bob.api.create_filter_v2("That one", ["home"], "blur")
    bob.api.add_filter_status_v2(that_one["id"], walk["id"])
    assert [s["status_id"] for s in bob.api.filter_statuses_v2(that_one["id"])] == [str(walk["id"])]
    assert {f["title"] for f in bob.api.filters_v2()} == {"Spoilers", "Scams", "That one"}

    home = eventually(
        lambda: {str(s["id"]): s for s in bob.api.timeline_home()},
        lambda got: {str(ending["id"]), str(walk["id"])} <= set(got),
        what="alice's posts in bob's home",
    )
    assert str(scam["id"]) not in home  # hide: dropped by the server
    assert _filtered(home[str(ending["id"])]) == [("Spoilers", "warn")]
    assert home[str(ending["id"])]["filtered"][0]["keyword_matches"] == ["ending"]
    assert _filtered(home[str(walk["id"])]) == [("That one", "blur")]
    assert home[str(walk["id"])]["filtered"][0]["status_matches"] == [str(walk["id"])]
    public = ids(bob.api.timeline_public(limit=40))
    assert str(scam["id"]) not in public
    assert str(ending["id"]) in public
    # Contexts the filter does not list are untouched: the profile ("account") shows it.
    assert str(scam["id"]) in ids(bob.api.account_statuses(alice.account_id))
    # By id it is answered: one status in the "thread" context (the hide filter does not
    # list it), several by id with every active filter, for the client to apply.
    assert bob.api.status(scam["id"])["filtered"] == []
    by_id = {str(s["id"]): s for s in bob.api.statuses([scam["id"], ending["id"]])}
    assert _filtered(by_id[str(scam["id"])]) == [("Scams", "hide")]
    assert _filtered(by_id[str(ending["id"])]) == [("Spoilers", "warn")]
    # One's own posts are never filtered.
    assert all(s["filtered"] == [] for s in alice.api.account_statuses(alice.account_id))

    keyword = bob.api.add_filter_keyword_v2(scams["id"], "giveaway", whole_word=True)
    assert keyword["keyword"] == "giveaway"
    assert len(bob.api.filter_keywords_v2(scams["id"])) == 2
    renamed = bob.api.update_filter_v2(scams["id"], title="Scams!", filter_action="warn")
    assert renamed["title"] == "Scams!"
    assert renamed["filter_action"] == "warn"
    warned = {str(s["id"]): s for s in bob.api.timeline_home()}
    assert _filtered(warned[str(scam["id"])]) == [("Scams!", "warn")]
    bob.api.delete_filter_v2(scams["id"])
    bob.api.delete_filter_v2(spoilers["id"])
    bob.api.delete_filter_v2(that_one["id"])
    assert list(bob.api.filters_v2()) == []
    assert all(s["filtered"] == [] for s in bob.api.timeline_home())
    assert list(alice.api.filters_v2()) == []
