"""Statuses beyond the core loop, through Mastodon.py against one live server: edits with
history and source (a poll changed, then removed), polls voted on and ended, bookmarks,
favourites, pins, muted threads, scheduled posts, quotes, conversations, private notes and
several statuses by id."""

from __future__ import annotations

import datetime as dt

import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError

from tests.e2e.client_support import ids, notification, notified
from tests.e2e.conftest import SignUp
from tests.e2e.live_db import end_poll_now, publish_scheduled_now, wait_for_jobs
from tests.support.live_server import LiveServer
from tests.support.waiting import eventually


def _titles(poll: dict[str, object]) -> list[str]:
    return [option["title"] for option in poll["options"]]  # type: ignore[attr-defined]


def test_edit_with_history_and_source_and_a_poll_change(sign_up: SignUp) -> None:
    alice, bob = sign_up("editor"), sign_up("voter")
    posted = alice.api.status_post(
        "Drink? #morning", poll=alice.api.make_poll(["tea", "coffee"], expires_in=3600)
    )
    assert posted["edited_at"] is None
    bob.api.poll_vote(posted["poll"]["id"], [1])
    bob.api.status_reblog(posted["id"])

    edited = alice.api.status_update(
        posted["id"],
        "Drink, really? #evening",
        spoiler_text="a poll",
        poll=alice.api.make_poll(["tea", "cocoa", "water"], expires_in=7200, multiple=True),
    )
    assert isinstance(edited["edited_at"], dt.datetime)
    assert edited["spoiler_text"] == "a poll"
    assert edited["sensitive"] is True
    assert [tag["name"] for tag in edited["tags"]] == ["evening"]
    assert _titles(edited["poll"]) == ["tea", "cocoa", "water"]
    assert edited["poll"]["multiple"] is True
    assert edited["poll"]["votes_count"] == 0  # new options: the votes were reset
    assert str(edited["poll"]["id"]) == str(posted["poll"]["id"])
    reset = bob.api.poll(posted["poll"]["id"])
    assert reset["voted"] is False
    assert reset["own_votes"] == []
    assert bob.api.poll_vote(posted["poll"]["id"], [0, 2])["votes_count"] == 2
    notification(bob, "update", str(posted["id"]), sender=alice)  # he reblogged it

    history = bob.api.status_history(posted["id"])
    assert len(history) == 2
    assert "morning" in history[0]["content"]
    assert "evening" in history[1]["content"]
    assert history[0]["spoiler_text"] == ""
    assert _titles(history[0]["poll"]) == ["tea", "coffee"]
    assert history[1]["spoiler_text"] == "a poll"
    assert history[1]["sensitive"] is True
    assert _titles(history[1]["poll"]) == ["tea", "cocoa", "water"]
    assert str(history[1]["account"]["id"]) == alice.account_id
    assert all(entry["media_attachments"] == [] for entry in history)
    source = alice.api.status_source(posted["id"])
    assert source["text"] == "Drink, really? #evening"
    assert source["spoiler_text"] == "a poll"
    with pytest.raises(MastodonNotFoundError):
        bob.api.status_source(posted["id"])
    with pytest.raises(MastodonNotFoundError):
        bob.api.status_update(posted["id"], "not mine")

    # Mastodon.py leaves out what it is not given: like Mastodon, an edit without a poll
    # removes it (the history keeps it).
    removed = alice.api.status_update(posted["id"], "No poll after all")
    assert removed["poll"] is None
    with pytest.raises(MastodonNotFoundError):
        bob.api.poll(posted["poll"]["id"])
    history = alice.api.status_history(posted["id"])
    assert len(history) == 3
    assert history[2].get("poll") is None
    with pytest.raises(MastodonAPIError):
        alice.api.status_update(
            posted["id"], "bad", poll=alice.api.make_poll(["only one"], expires_in=600)
        )
    assert len(alice.api.status_history(posted["id"])) == 3


def test_a_poll_is_voted_on_and_its_end_notifies_author_and_voters(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    alice, bob, carol, dave = (sign_up(name) for name in ("pollster", "pvb", "pvc", "pvd"))
    posted = alice.api.status_post(
        "Best wader?", poll=alice.api.make_poll(["godwit", "curlew", "knot"], expires_in=300)
    )
    poll_id = str(posted["poll"]["id"])
    assert posted["poll"]["expired"] is False
    assert _titles(posted["poll"]) == ["godwit", "curlew", "knot"]
    voted = bob.api.poll_vote(poll_id, 0)
    assert voted["voted"] is True
    assert voted["own_votes"] == [0]
    carol.api.poll_vote(poll_id, [1])
    with pytest.raises(MastodonAPIError):
        bob.api.poll_vote(poll_id, 1)  # once only
    with pytest.raises(MastodonAPIError):
        carol.api.poll_vote(poll_id, [0, 1])  # single choice
    with pytest.raises(MastodonAPIError):
        alice.api.poll_vote(poll_id, 0)  # not in one's own poll
    seen = dave.api.poll(poll_id)
    assert seen["votes_count"] == 2
    assert [option["votes_count"] for option in seen["options"]] == [1, 1, 0]
    assert seen["voted"] is False

    # The shortest poll lasts five minutes: its end is brought forward, then the server's
    # own job closes it.
    end_poll_now(live_server.database_url, poll_id)
    notification(alice, "poll", str(posted["id"]))
    notification(bob, "poll", str(posted["id"]))
    notification(carol, "poll", str(posted["id"]))
    assert not notified(dave, "poll", str(posted["id"]))  # did not vote
    assert dave.api.poll(poll_id)["expired"] is True
    with pytest.raises(MastodonAPIError):
        dave.api.poll_vote(poll_id, 2)


def test_bookmarks_and_favourites_lists(sign_up: SignUp) -> None:
    alice, bob = sign_up("bookmarked"), sign_up("bookmarker")
    first, second, third = (alice.api.status_post(f"keep {n}") for n in range(3))
    for status in (first, third, second):
        assert bob.api.status_bookmark(status["id"])["bookmarked"] is True
    page = bob.api.bookmarks(limit=2)
    assert ids(page) == [str(second["id"]), str(third["id"])]  # newest bookmark first
    older = bob.api.fetch_next(page)
    assert older is not None
    assert ids(older) == [str(first["id"])]
    assert bob.api.status_unbookmark(third["id"])["bookmarked"] is False
    assert ids(bob.api.bookmarks()) == [str(second["id"]), str(first["id"])]
    assert ids(alice.api.bookmarks()) == []

    bob.api.status_favourite(first["id"])
    bob.api.status_favourite(third["id"])
    assert ids(bob.api.favourites()) == [str(third["id"]), str(first["id"])]
    bob.api.status_unfavourite(first["id"])
    assert ids(bob.api.favourites()) == [str(third["id"])]


def test_pins_show_on_the_profile_with_the_pinned_flag(sign_up: SignUp) -> None:
    alice, bob = sign_up("pinner"), sign_up("pinviewer")
    keep = alice.api.status_post("pin me")
    alice.api.status_post("not pinned")
    pinned = alice.api.status_pin(keep["id"])
    assert pinned["pinned"] is True
    assert ids(alice.api.account_statuses(alice.account_id, pinned=True)) == [str(keep["id"])]
    assert ids(bob.api.account_statuses(alice.account_id, pinned=True)) == [str(keep["id"])]
    assert alice.api.status(keep["id"])["pinned"] is True
    # ``pinned`` only comes on one's own statuses (Mastodon.py fills what is missing with None).
    assert bob.api.status(keep["id"])["pinned"] is None
    with pytest.raises(MastodonAPIError):
        bob.api.status_pin(keep["id"])  # not one's own
    private = alice.api.status_post("followers only", visibility="private")
    with pytest.raises(MastodonAPIError):
        alice.api.status_pin(private["id"])
    assert alice.api.status_unpin(keep["id"])["pinned"] is False
    assert ids(alice.api.account_statuses(alice.account_id, pinned=True)) == []


def test_a_muted_thread_notifies_no_more(live_server: LiveServer, sign_up: SignUp) -> None:
    alice, bob, carol = sign_up("muter"), sign_up("mreply"), sign_up("mlate")
    root = alice.api.status_post("a thread I will tire of")
    reply = bob.api.status_post(f"@{alice.username} first", in_reply_to_id=root["id"])
    notification(alice, "mention", str(reply["id"]))
    assert alice.api.status_mute(root["id"])["muted"] is True
    muted = carol.api.status_post(f"@{alice.username} second", in_reply_to_id=reply["id"])
    wait_for_jobs(live_server.database_url)
    assert not notified(alice, "mention", str(muted["id"]))
    assert alice.api.status(reply["id"])["muted"] is True  # the whole thread
    assert alice.api.status_unmute(root["id"])["muted"] is False
    heard = carol.api.status_post(f"@{alice.username} third", in_reply_to_id=reply["id"])
    notification(alice, "mention", str(heard["id"]))


def test_scheduled_statuses_are_listed_changed_and_published(
    live_server: LiveServer, sign_up: SignUp
) -> None:
    alice, bob = sign_up("scheduler"), sign_up("schedpeer")
    at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    later = alice.api.status_post("published later", scheduled_at=at, visibility="unlisted")
    dropped = alice.api.status_post("never published", scheduled_at=at)
    assert later["params"]["text"] == "published later"
    assert abs(later["scheduled_at"] - at) < dt.timedelta(seconds=1)
    assert set(ids(alice.api.scheduled_statuses())) == {str(later["id"]), str(dropped["id"])}
    moved = alice.api.scheduled_status_update(later["id"], at + dt.timedelta(hours=1))
    assert moved["scheduled_at"] > later["scheduled_at"]
    assert str(alice.api.scheduled_status(later["id"])["id"]) == str(later["id"])
    alice.api.scheduled_status_delete(dropped["id"])
    assert ids(alice.api.scheduled_statuses()) == [str(later["id"])]
    with pytest.raises(MastodonNotFoundError):
        bob.api.scheduled_status(later["id"])
    with pytest.raises(MastodonAPIError):
        alice.api.status_post("too soon", scheduled_at=dt.datetime.now(dt.UTC))

    publish_scheduled_now(live_server.database_url, str(later["id"]))
    published = eventually(
        lambda: list(alice.api.account_statuses(alice.account_id)),
        lambda got: any("published later" in status["content"] for status in got),
        what="the scheduled status published",
    )
    assert published[0]["visibility"] == "unlisted"
    assert all("never published" not in status["content"] for status in published)
    # The post commits first; the scheduled row goes in the job's next transaction.
    eventually(
        lambda: list(alice.api.scheduled_statuses()),
        lambda left: left == [],
        what="the scheduled status removed once published",
    )


def test_a_quote_post_shows_the_quoted_status(sign_up: SignUp) -> None:
    alice, bob = sign_up("quoted"), sign_up("quoter")
    original = alice.api.status_post("a quotable thought")
    quote = bob.api.status_post("so true", quoted_status_id=original["id"])
    assert quote["quote"]["state"] == "accepted"
    assert str(quote["quote"]["quoted_status"]["id"]) == str(original["id"])
    assert str(alice.api.status(quote["id"])["quote"]["quoted_status"]["id"]) == str(original["id"])
    notification(alice, "quote", sender=bob)
    private = alice.api.status_post("followers only", visibility="private")
    with pytest.raises(MastodonAPIError):
        bob.api.status_post("leak", quoted_status_id=private["id"])
    alice.api.status_delete(original["id"])
    gone = bob.api.status(quote["id"])
    assert gone["quote"]["state"] == "deleted"
    assert gone["quote"]["quoted_status"] is None


def test_direct_posts_make_conversations(sign_up: SignUp) -> None:
    alice, bob, carol = sign_up("dmfrom"), sign_up("dmto"), sign_up("dmout")
    direct = alice.api.status_post(f"@{bob.username} just between us", visibility="direct")
    theirs = eventually(lambda: list(bob.api.conversations()), what="bob's conversation")
    assert len(theirs) == 1
    conversation = theirs[0]
    assert str(conversation["last_status"]["id"]) == str(direct["id"])
    assert ids(conversation["accounts"]) == [alice.account_id]
    assert conversation["unread"] is True
    assert bob.api.conversations_read(conversation["id"])["unread"] is False
    mine = eventually(lambda: list(alice.api.conversations()), what="alice's conversation")
    assert ids(mine[0]["accounts"]) == [bob.account_id]
    assert list(carol.api.conversations()) == []
    with pytest.raises(MastodonNotFoundError):
        carol.api.status(direct["id"])


def test_private_notes_and_several_statuses_by_id(sign_up: SignUp) -> None:
    alice, bob = sign_up("noter"), sign_up("noted")
    noted = alice.api.account_note_set(bob.account_id, "met at the estuary")
    assert noted["note"] == "met at the estuary"
    assert alice.api.account_relationships(bob.account_id)[0]["note"] == "met at the estuary"
    assert bob.api.account_relationships(alice.account_id)[0]["note"] == ""
    assert alice.api.account_note_set(bob.account_id, "")["note"] == ""

    first = bob.api.status_post("first")
    second = bob.api.status_post("second")
    private = bob.api.status_post("followers only", visibility="private")
    wanted = [second["id"], private["id"], first["id"]]
    assert ids(alice.api.statuses(wanted)) == [str(second["id"]), str(first["id"])]
    assert ids(bob.api.statuses(wanted)) == [str(i) for i in wanted]
