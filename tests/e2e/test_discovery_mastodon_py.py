"""The rest of the client API through Mastodon.py against one live server: followed and
featured tags, trends, suggestions, the directory, endorsements, per-member domain blocks,
reports with rules, and the instance endpoints (rules, peers, activity, extended
description, v2)."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError

from tests.e2e.client_support import ids
from tests.e2e.conftest import SignUp, mastodon_client
from tests.e2e.live_db import add_rule, set_server_setting
from tests.support.live_server import LiveServer
from tests.support.waiting import eventually


def _tag_name() -> str:
    return f"Estuary{secrets.token_hex(3)}"


def test_followed_and_featured_tags(sign_up: SignUp) -> None:
    alice, bob = sign_up("tagposter"), sign_up("tagfollower")
    name = _tag_name()
    followed = bob.api.tag_follow(name.lower())
    assert followed["following"] is True
    assert [tag["name"] for tag in bob.api.followed_tags()] == [name.lower()]
    # A public post with the tag reaches bob's home although he does not follow alice.
    posted = alice.api.status_post(f"Low tide birds #{name} #Mudflats")
    eventually(
        lambda: ids(bob.api.timeline_home()),
        lambda got: str(posted["id"]) in got,
        what="the tagged post in the tag follower's home",
    )
    assert bob.api.tag(name)["following"] is True
    assert alice.api.tag(name)["following"] is False
    unfollowed = bob.api.tag_unfollow(name)
    assert unfollowed["following"] is False
    assert list(bob.api.followed_tags()) == []

    featured = alice.api.featured_tag_create(name)
    assert featured["name"].lower() == name.lower()
    assert int(featured["statuses_count"]) == 1
    assert [tag["name"].lower() for tag in alice.api.featured_tags()] == [name.lower()]
    assert ids(bob.api.account_featured_tags(alice.account_id)) == [str(featured["id"])]
    suggested = alice.api.featured_tag_suggestions()
    assert [tag["name"] for tag in suggested] == ["Mudflats"]  # used, not featured yet
    with pytest.raises(MastodonAPIError):
        alice.api.featured_tag_create(name)  # already featured
    alice.api.featured_tag_delete(featured["id"])
    assert list(alice.api.featured_tags()) == []
    with pytest.raises(MastodonNotFoundError):
        bob.api.featured_tag_delete(featured["id"])


def test_trends_of_tags_and_statuses(live_server: LiveServer, sign_up: SignUp) -> None:
    people = [sign_up(f"trender{n}") for n in range(3)]
    popular, quiet = _tag_name(), _tag_name()
    for person in people:
        person.api.status_post(f"Everyone is talking about #{popular}")
    people[0].api.status_post(f"Only me, twice #{quiet}")
    people[0].api.status_post(f"Only me, again #{quiet}")
    trending = [tag["name"] for tag in people[1].api.trending_tags(limit=20)]
    assert popular in trending
    assert quiet in trending
    assert trending.index(popular) < trending.index(quiet)  # three accounts beat one
    tag = next(t for t in people[1].api.trending_tags(limit=20) if t["name"] == popular)
    assert int(tag["history"][0]["uses"]) == 3
    assert int(tag["history"][0]["accounts"]) == 3
    anonymous = mastodon_client(live_server.base_url)
    assert popular in [t["name"] for t in anonymous.trending_tags(limit=20)]
    followers_only = people[0].api.status_post("#secrettrend", visibility="private")
    assert "secrettrend" not in [t["name"] for t in anonymous.trending_tags(limit=20)]

    loved = people[0].api.status_post("A very popular heron photo")
    liked = people[1].api.status_post("A mildly popular heron photo")
    for fan in people[1:]:
        fan.api.status_favourite(loved["id"])
        fan.api.status_reblog(loved["id"])
    people[0].api.status_favourite(liked["id"])
    statuses = ids(anonymous.trending_statuses(limit=40))
    assert str(loved["id"]) in statuses
    assert str(liked["id"]) in statuses
    assert statuses.index(str(loved["id"])) < statuses.index(str(liked["id"]))
    assert str(followers_only["id"]) not in statuses
    assert list(anonymous.trending_links()) == []


def test_suggestions_directory_and_endorsements(sign_up: SignUp) -> None:
    alice, bob, carol, dave = (sign_up(name) for name in ("sugg", "sbridge", "sfof", "sother"))
    alice.api.account_follow(bob.account_id)
    bob.api.account_follow(carol.account_id)
    suggested = {str(s["account"]["id"]): s for s in alice.api.suggestions_v2()}
    assert carol.account_id in suggested  # followed by someone alice follows
    assert bob.account_id not in suggested  # already followed
    assert alice.account_id not in suggested
    assert "friends_of_friends" in suggested[carol.account_id]["sources"]
    alice.api.suggestion_delete(carol.account_id)
    assert carol.account_id not in ids(s["account"] for s in alice.api.suggestions_v2())
    assert carol.account_id not in ids(alice.api.suggestions_v1())

    newest = ids(alice.api.directory(order="new", local=True, limit=80))
    assert newest.index(dave.account_id) < newest.index(alice.account_id)
    assert ids(alice.api.directory(order="new", local=True, limit=1)) == [newest[0]]
    assert ids(alice.api.directory(order="new", local=True, offset=1, limit=1)) == [newest[1]]

    endorsed = alice.api.account_pin(bob.account_id)
    assert endorsed["endorsed"] is True
    assert ids(alice.api.endorsements()) == [bob.account_id]
    with pytest.raises(MastodonAPIError):
        alice.api.account_pin(dave.account_id)  # endorsing needs a follow
    assert alice.api.account_unpin(bob.account_id)["endorsed"] is False
    assert list(alice.api.endorsements()) == []


def test_domain_blocks_are_per_member(live_server: LiveServer, sign_up: SignUp) -> None:
    alice, bob = sign_up("dblocker"), sign_up("dbother")
    alice.api.domain_block("Spam.Example")
    alice.api.domain_block("junk.example")
    assert sorted(alice.api.domain_blocks()) == ["junk.example", "spam.example"]
    first = alice.api.domain_blocks(limit=1)
    assert len(first) == 1
    assert list(bob.api.domain_blocks()) == []
    with pytest.raises(MastodonAPIError):
        alice.api.domain_block(live_server.base_url.removeprefix("http://").split(":")[0])
    alice.api.domain_unblock("spam.example")
    assert list(alice.api.domain_blocks()) == ["junk.example"]
    relationship = alice.api.account_relationships(bob.account_id)[0]
    assert relationship["domain_blocking"] is False  # a local account


def test_reports_with_categories_and_rules(live_server: LiveServer, sign_up: SignUp) -> None:
    alice, bob, carol = sign_up("reporter"), sign_up("reported"), sign_up("bystander")
    stamp = secrets.token_hex(2)
    rule_ids = [
        add_rule(live_server.database_url, f"Be kind {stamp}", 100),
        add_rule(live_server.database_url, f"No spam {stamp}", 101),
    ]
    rules = {str(rule["id"]): rule["text"] for rule in alice.api.instance_rules()}
    assert rules[rule_ids[0]] == f"Be kind {stamp}"
    bad = bob.api.status_post("buy followers now")
    theirs = carol.api.status_post("an innocent post")

    report = alice.api.report(
        bob.account_id,
        status_ids=[bad["id"]],
        comment="this is spam",
        category="violation",
        rule_ids=[rule_ids[1]],
    )
    assert report["category"] == "violation"
    assert [str(rule_id) for rule_id in report["rule_ids"]] == [rule_ids[1]]
    assert [str(status_id) for status_id in report["status_ids"]] == [str(bad["id"])]
    assert str(report["target_account"]["id"]) == bob.account_id
    assert report["action_taken"] is False
    spam = alice.api.report(bob.account_id, comment="again", category="spam")
    assert spam["category"] == "spam"
    for refused in (
        {"status_ids": [theirs["id"]]},  # not the reported account's post
        {"rule_ids": ["12345"]},  # not a rule of this server
        {"category": "other", "rule_ids": [rule_ids[0]]},  # rules mean a violation
        {"comment": "x" * 1001},
    ):
        with pytest.raises(MastodonAPIError):
            alice.api.report(bob.account_id, **refused)


def test_instance_endpoints(live_server: LiveServer, sign_up: SignUp) -> None:
    alice = sign_up("instreader")
    alice.api.status_post("counting towards this week's activity")
    anonymous = mastodon_client(live_server.base_url)
    v2 = anonymous.instance_v2()
    assert v2["domain"] == live_server.base_url.removeprefix("http://")
    assert v2["configuration"]["polls"]["max_options"] == 4
    assert v2["configuration"]["statuses"]["max_characters"] > 0
    assert isinstance(v2["rules"], list)
    v1 = anonymous.instance_v1()
    assert v1["uri"] == v2["domain"]
    assert list(anonymous.instance_peers()) == []  # no federation yet
    activity = list(anonymous.instance_activity())
    assert activity
    this_week = activity[0]
    assert int(this_week["statuses"]) >= 1
    assert int(this_week["registrations"]) >= 1
    assert int(this_week["logins"]) >= 0
    assert isinstance(this_week["week"], dt.datetime)

    assert anonymous.instance_extended_description()["content"] == ""
    set_server_setting(live_server.database_url, "extended_description", "<p>Waders welcome</p>")
    described = anonymous.instance_extended_description()
    assert described["content"] == "<p>Waders welcome</p>"
    assert list(alice.api.announcements()) == []
    rule_id = add_rule(live_server.database_url, "Keep it civil", 0)
    assert rule_id in {str(rule["id"]) for rule in anonymous.instance_v2()["rules"]}
