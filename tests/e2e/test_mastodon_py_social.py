"""The core loop through a real Mastodon client (Mastodon.py) against a live server.

Sign up, log in through the browser flow, post with a mention and a hashtag, follow, read the
home timeline, favourite, reblog, reply, read a thread, get notified, follow a locked
account, block, mute and delete. Every response is validated against the OpenAPI contract.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.e2e.conftest import (
    APP_SCOPES,
    CALLBACK,
    OOB,
    PASSWORD,
    AppCredentials,
    Person,
    SignUp,
    mastodon_client,
)
from tests.support.browser import authorize
from tests.support.live_server import LiveServer
from tests.support.waiting import eventually


def ids(items: Any) -> list[str]:
    return [str(item["id"]) for item in items]


def home_ids(person: Person, limit: int = 40) -> list[str]:
    return ids(person.api.timeline_home(limit=limit))


def notifications_of(person: Person, **filters: Any) -> list[Any]:
    return list(person.api.notifications(**filters))


def has_notification(
    person: Person, kind: str, sender: Person, status_id: str | None = None
) -> list[Any]:
    def probe() -> list[Any]:
        return [
            n
            for n in notifications_of(person)
            if n["type"] == kind
            and str(n["account"]["id"]) == sender.account_id
            and (status_id is None or (n.get("status") and str(n["status"]["id"]) == status_id))
        ]

    return eventually(probe, what=f"{kind} notification from {sender.username}")


@pytest.fixture(scope="module")
def cast(sign_up: SignUp) -> tuple[Person, Person, Person]:
    """Three members signed up through the API, as the issue asks."""
    return sign_up("alice"), sign_up("bob"), sign_up("carol")


def test_the_server_speaks_a_mastodon_version_mastodon_py_understands(
    live_server: LiveServer,
) -> None:
    api = Mastodon(api_base_url=live_server.base_url, version_check_mode="created")
    assert api.retrieve_mastodon_version().startswith("4.")
    instance = api.instance()
    assert "Godwit" in instance["version"]
    v2 = api.instance_v2()
    assert v2["configuration"]["statuses"]["max_characters"] == 500
    assert v2["domain"] == f"127.0.0.1:{live_server.port}"


def test_three_members_sign_up_through_the_api(cast: tuple[Person, Person, Person]) -> None:
    alice, bob, carol = cast
    assert len({alice.account_id, bob.account_id, carol.account_id}) == 3
    found = alice.api.account_lookup(bob.username)
    assert str(found["id"]) == bob.account_id
    assert alice.api.account(carol.account_id)["acct"] == carol.username
    me = alice.api.account_verify_credentials()
    assert me["source"]["privacy"] in ("public", "unlisted", "private")


@pytest.mark.parametrize("redirect_uri", [CALLBACK, OOB], ids=["redirect", "out-of-band"])
def test_a_member_logs_in_through_the_authorization_code_flow(
    live_server: LiveServer,
    app_credentials: AppCredentials,
    sign_up: SignUp,
    redirect_uri: str,
) -> None:
    person = sign_up("dora")
    api = mastodon_client(
        live_server.base_url,
        client_id=app_credentials.client_id,
        client_secret=app_credentials.client_secret,
    )
    url = api.auth_request_url(redirect_uris=redirect_uri, scopes=APP_SCOPES, allow_http=True)
    assert url.startswith(f"{live_server.base_url}/oauth/authorize?")
    with httpx.Client(timeout=30.0) as browser:
        code = authorize(browser, url, person.email, PASSWORD)
    token = api.log_in(code=code, redirect_uri=redirect_uri, scopes=APP_SCOPES, allow_http=True)
    assert token
    assert token != person.token
    assert api.account_verify_credentials()["username"] == person.username
    # A code is good for one exchange only.
    with pytest.raises(Exception, match=r"(?i)invalid"):
        api.log_in(code=code, redirect_uri=redirect_uri, scopes=APP_SCOPES, allow_http=True)


def test_a_post_renders_its_mention_and_hashtag(
    live_server: LiveServer, cast: tuple[Person, Person, Person]
) -> None:
    alice, bob, _ = cast
    posted = alice.api.status_post(f"Hello @{bob.username}, meet #GodwitTest!")
    assert str(posted["account"]["id"]) == alice.account_id
    assert [str(m["id"]) for m in posted["mentions"]] == [bob.account_id]
    assert posted["mentions"][0]["acct"] == bob.username
    assert [t["name"].lower() for t in posted["tags"]] == ["godwittest"]
    content = posted["content"]
    bob_url = f"{live_server.base_url}/@{bob.username}"
    assert re.search(rf'<a [^>]*href="{re.escape(bob_url)}"[^>]*class="[^"]*mention', content)
    assert re.search(r'<a [^>]*href="[^"]*/tags/godwittest"[^>]*rel="tag"', content, re.I)
    assert content.startswith("<p>")
    has_notification(bob, "mention", alice, str(posted["id"]))
    tagged = eventually(
        lambda: ids(bob.api.timeline_hashtag("godwittest")), what="tag timeline entry"
    )
    assert str(posted["id"]) in tagged


def test_follow_then_the_home_timeline_shows_the_followed_members_posts(
    sign_up: SignUp,
) -> None:
    writer, reader = sign_up("writer"), sign_up("reader")
    earlier = writer.api.status_post("posted before anyone followed")
    relationship = reader.api.account_follow(writer.account_id)
    assert relationship["following"] is True
    assert str(relationship["id"]) == writer.account_id
    later = writer.api.status_post("posted after the follow")
    timeline = eventually(
        lambda: home_ids(reader),
        lambda got: str(later["id"]) in got and str(earlier["id"]) in got,
        what="followed member's posts in home",
    )
    assert timeline.index(str(later["id"])) < timeline.index(str(earlier["id"]))
    has_notification(writer, "follow", reader)
    assert writer.api.account(writer.account_id)["followers_count"] == 1
    assert ids(writer.api.account_followers(writer.account_id)) == [reader.account_id]
    assert ids(reader.api.account_following(reader.account_id)) == [writer.account_id]
    reader.api.account_unfollow(writer.account_id)
    eventually(lambda: home_ids(reader), lambda got: str(later["id"]) not in got)


def test_favourite_and_reblog_reach_counts_lists_timelines_and_notifications(
    sign_up: SignUp,
) -> None:
    author, fan, fan_follower = sign_up("author"), sign_up("fan"), sign_up("fanfollower")
    fan_follower.api.account_follow(fan.account_id)
    post = author.api.status_post("worth a favourite")
    favourited = fan.api.status_favourite(post["id"])
    assert favourited["favourited"] is True
    assert favourited["favourites_count"] == 1
    assert ids(author.api.status_favourited_by(post["id"])) == [fan.account_id]
    has_notification(author, "favourite", fan, str(post["id"]))

    reblog = fan.api.status_reblog(post["id"])
    assert str(reblog["reblog"]["id"]) == str(post["id"])
    assert reblog["reblog"]["reblogged"] is True
    assert ids(author.api.status_reblogged_by(post["id"])) == [fan.account_id]
    has_notification(author, "reblog", fan, str(post["id"]))
    assert author.api.status(post["id"])["reblogs_count"] == 1
    home = eventually(
        lambda: list(fan_follower.api.timeline_home()),
        lambda got: any(item["reblog"] and item["reblog"]["id"] == post["id"] for item in got),
        what="reblog in the follower's home",
    )
    assert str(home[0]["account"]["id"]) == fan.account_id

    unfavourited = fan.api.status_unfavourite(post["id"])
    assert unfavourited["favourited"] is False
    assert unfavourited["favourites_count"] == 0
    unreblogged = fan.api.status_unreblog(post["id"])
    assert unreblogged["reblogged"] is False
    assert ids(author.api.status_reblogged_by(post["id"])) == []


def test_a_reply_thread_and_its_context(sign_up: SignUp) -> None:
    alice, bob = sign_up("threadstart"), sign_up("replier")
    root = alice.api.status_post("what do godwits eat?")
    reply = bob.api.status_post(f"@{alice.username} worms, mostly", in_reply_to_id=root["id"])
    assert str(reply["in_reply_to_id"]) == str(root["id"])
    assert str(reply["in_reply_to_account_id"]) == alice.account_id
    answer = alice.api.status_reply(reply, "thanks!")
    assert str(answer["in_reply_to_id"]) == str(reply["id"])
    assert bob.username in {m["acct"] for m in answer["mentions"]}

    context = bob.api.status_context(reply["id"])
    assert ids(context["ancestors"]) == [str(root["id"])]
    assert ids(context["descendants"]) == [str(answer["id"])]
    context = alice.api.status_context(root["id"])
    assert ids(context["ancestors"]) == []
    assert ids(context["descendants"]) == [str(reply["id"]), str(answer["id"])]
    assert alice.api.status(root["id"])["replies_count"] == 1
    has_notification(alice, "mention", bob, str(reply["id"]))


def test_notifications_filter_dismiss_and_clear(sign_up: SignUp) -> None:
    target, other = sign_up("notified"), sign_up("notifier")
    other.api.account_follow(target.account_id)
    post = target.api.status_post("notify me")
    other.api.status_favourite(post["id"])
    other.api.status_post(f"hey @{target.username}")
    everything = eventually(
        lambda: notifications_of(target),
        lambda got: {n["type"] for n in got} >= {"follow", "favourite", "mention"},
        what="follow, favourite and mention notifications",
    )
    only_mentions = notifications_of(target, types=["mention"])
    assert {n["type"] for n in only_mentions} == {"mention"}
    without_follows = notifications_of(target, exclude_types=["follow"])
    assert "follow" not in {n["type"] for n in without_follows}
    assert len(without_follows) == len(everything) - 1

    one = everything[0]
    assert target.api.notifications(id=one["id"])["id"] == one["id"]
    target.api.notifications_dismiss(one["id"])
    with pytest.raises(MastodonNotFoundError):
        target.api.notifications(id=one["id"])
    target.api.notifications_clear()
    assert notifications_of(target) == []


def test_a_locked_account_approves_a_follow_request(sign_up: SignUp) -> None:
    owner, requester = sign_up("locked", locked=True), sign_up("asker")
    assert owner.api.account_verify_credentials()["locked"] is True
    private = owner.api.status_post("followers only", visibility="private")
    relationship = requester.api.account_follow(owner.account_id)
    assert relationship["following"] is False
    assert relationship["requested"] is True
    assert ids(owner.api.follow_requests()) == [requester.account_id]
    has_notification(owner, "follow_request", requester)
    assert str(private["id"]) not in ids(requester.api.account_statuses(owner.account_id))
    with pytest.raises(MastodonNotFoundError):
        requester.api.status(private["id"])

    authorized = owner.api.follow_request_authorize(requester.account_id)
    assert authorized["followed_by"] is True
    assert owner.api.follow_requests() == []
    after = requester.api.account_relationships([owner.account_id])[0]
    assert after["following"] is True
    assert after["requested"] is False
    assert requester.api.status(private["id"])["visibility"] == "private"
    eventually(lambda: home_ids(requester), lambda got: str(private["id"]) in got)


def test_block_hides_posts_everywhere_and_shows_in_relationships(sign_up: SignUp) -> None:
    blocker, blocked = sign_up("blocker"), sign_up("blocked")
    blocker.api.account_follow(blocked.account_id)
    blocked.api.account_follow(blocker.account_id)
    post = blocked.api.status_post("you will not see this soon")
    eventually(lambda: home_ids(blocker), lambda got: str(post["id"]) in got)

    relationship = blocker.api.account_block(blocked.account_id)
    assert relationship["blocking"] is True
    assert relationship["following"] is False
    assert relationship["followed_by"] is False
    seen_by_blocked = blocked.api.account_relationships([blocker.account_id])[0]
    assert seen_by_blocked["blocked_by"] is True
    assert seen_by_blocked["following"] is False
    assert str(post["id"]) not in home_ids(blocker)
    assert ids(blocker.api.blocks()) == [blocked.account_id]
    with pytest.raises(MastodonNotFoundError):
        blocker.api.status(post["id"])
    blocked.api.status_post(f"@{blocker.username} can you hear me?")
    later = blocked.api.status_post("a post after the block")
    assert str(later["id"]) not in ids(blocker.api.timeline_public(local=True, limit=40))
    assert all(str(n["account"]["id"]) != blocked.account_id for n in notifications_of(blocker))
    with pytest.raises(MastodonAPIError):
        blocked.api.account_follow(blocker.account_id)

    blocker.api.account_unblock(blocked.account_id)
    assert blocker.api.account_relationships([blocked.account_id])[0]["blocking"] is False


def test_mute_hides_posts_and_notifications(sign_up: SignUp) -> None:
    muter, muted = sign_up("muter"), sign_up("muted")
    muter.api.account_follow(muted.account_id)
    before = muted.api.status_post("before the mute")
    eventually(lambda: home_ids(muter), lambda got: str(before["id"]) in got)
    relationship = muter.api.account_mute(muted.account_id, notifications=True)
    assert relationship["muting"] is True
    assert relationship["muting_notifications"] is True
    assert relationship["following"] is True
    assert ids(muter.api.mutes()) == [muted.account_id]
    during = muted.api.status_post(f"@{muter.username} muted mention")
    assert str(before["id"]) not in home_ids(muter)
    assert str(during["id"]) not in home_ids(muter)
    assert all(str(n["account"]["id"]) != muted.account_id for n in notifications_of(muter))

    relationship = muter.api.account_unmute(muted.account_id)
    assert relationship["muting"] is False
    eventually(lambda: home_ids(muter), lambda got: str(before["id"]) in got)


def test_delete_is_a_real_delete(live_server: LiveServer, sign_up: SignUp) -> None:
    author, follower = sign_up("deleter"), sign_up("watcher")
    follower.api.account_follow(author.account_id)
    post = author.api.status_post(f"soon gone @{follower.username} #vanishing")
    eventually(lambda: home_ids(follower), lambda got: str(post["id"]) in got)
    follower.api.status_favourite(post["id"])
    has_notification(author, "favourite", follower, str(post["id"]))
    has_notification(follower, "mention", author, str(post["id"]))
    count_before = author.api.account_verify_credentials()["statuses_count"]

    deleted = author.api.status_delete(post["id"])
    assert deleted["text"] == f"soon gone @{follower.username} #vanishing"

    for viewer in (author, follower):
        with pytest.raises(MastodonNotFoundError):
            viewer.api.status(post["id"])
    with pytest.raises(MastodonNotFoundError):
        author.api.status_delete(post["id"])
    assert str(post["id"]) not in home_ids(follower)
    assert str(post["id"]) not in home_ids(author)
    assert str(post["id"]) not in ids(follower.api.timeline_public(limit=40))
    assert str(post["id"]) not in ids(follower.api.timeline_hashtag("vanishing"))
    assert str(post["id"]) not in ids(author.api.account_statuses(author.account_id))
    for person in (author, follower):
        statuses = [n.get("status") for n in notifications_of(person)]
        assert all(s is None or str(s["id"]) != str(post["id"]) for s in statuses)
    assert author.api.account_verify_credentials()["statuses_count"] == count_before - 1
    response = httpx.get(f"{live_server.base_url}/api/v1/statuses/{post['id']}", timeout=10)
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
